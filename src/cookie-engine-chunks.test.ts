/**
 * The cookie engine with sealed and chunked formats: the size limit for every format, splitting a
 * large sealed session over `session.0`, `session.1`..., reading it back, and deleting leftovers.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setCookiesOf } from './adapters/commit.ts'
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import { sealed } from './codec/sealed.ts'
import { starlette } from './codec/starlette.ts'
import { MAX_NAME_AND_VALUE_BYTES } from './cookie/limits.ts'
import { CookieEngine } from './cookie-engine.ts'
import { type BadData, CookieTooLarge } from './errors.ts'
import type { CommitResult } from './session-state.ts'

const SECRET = 'chunk-test-secret-0123456789abcdefghijkl'
const NOW = 1_800_000_000

function engine(format: CookieFormat, rejected: BadData[] = []): CookieEngine {
  return new CookieEngine({
    secretKey: SECRET,
    format,
    now: () => NOW * 1000,
    onInvalid: (e) => rejected.push(e),
  })
}

/** The `Cookie` header a browser sends after these Set-Cookie values (deletions removed). */
function browserAfter(result: CommitResult, before: Map<string, string> = new Map()): Map<string, string> {
  const jar = new Map(before)
  for (const header of setCookiesOf(result)) {
    const pair = header.slice(0, header.indexOf(';'))
    const name = pair.slice(0, pair.indexOf('='))
    if (/Max-Age=0/.test(header)) jar.delete(name)
    else jar.set(name, pair.slice(name.length + 1))
  }
  return jar
}

function header(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/** Commits a session of `data` opened from `jar`, and returns the result. */
function write(e: CookieEngine, jar: Map<string, string>, data: Record<string, unknown>): CommitResult {
  const opened = e.open(header(jar))
  opened.session.clear()
  for (const [key, value] of Object.entries(data)) opened.session.set(key, value)
  return opened.commit()
}

const FORMATS: [string, CookieFormat][] = [
  ['starlette', starlette()],
  ['starlette-sha256', cached(starlette({ algorithm: 'sha256' }))],
  ['sealed', sealed()],
  ['sealed, cached', cached(sealed())],
]

describe('cookie size, every format', () => {
  for (const [name, format] of FORMATS) {
    it(`${name}: a session past 4096 bytes fails the commit with CookieTooLarge, naming the size`, () => {
      const opened = engine(format).open(undefined)
      opened.session.set('big', 'x'.repeat(5000))
      assert.throws(
        () => opened.commit(),
        (error: unknown) =>
          error instanceof CookieTooLarge && error.limit === MAX_NAME_AND_VALUE_BYTES && error.size > 5000,
      )
    })
  }

  it('measures the sealed overhead and the largest session that fits (README numbers)', () => {
    const largest = (format: CookieFormat): { overhead: number; fits: number } => {
      const e = engine(format)
      const value = (result: CommitResult) =>
        (result.setCookie as string).split(';')[0]?.slice('session='.length)
      const overhead = (value(write(e, new Map(), { a: 1 })) as string).length - '{"a":1}'.length
      let low = 0
      let high = 5000
      while (low < high) {
        const mid = Math.ceil((low + high) / 2)
        try {
          write(e, new Map(), { d: 'x'.repeat(mid) })
          low = mid
        } catch {
          high = mid - 1
        }
      }
      return { overhead, fits: JSON.stringify({ d: 'x'.repeat(low) }).length }
    }
    const sealedSize = largest(sealed())
    const starletteSize = largest(starlette())
    // Sealed: 25 characters of t1.kid.iv. plus base64url of (5 + JSON + 16) bytes.
    assert.equal(sealedSize.overhead, 25 + Math.ceil(((7 + 21) * 4) / 3) - 7)
    assert.equal(sealedSize.fits, 3027)
    assert.equal(starletteSize.fits, 3039)
  })
})

describe('sealed({ chunks }): a session over several cookies', () => {
  const format = cached(sealed({ chunks: { max: 3 } }))

  it('keeps a small session in one plain cookie, with no extra Set-Cookie', () => {
    const result = write(engine(format), new Map(), { user: 'ada' })
    assert.match(result.setCookie ?? '', /^session=t1\./)
    assert.equal(result.extraSetCookies, undefined)
  })

  it('splits a large session over session.0, session.1..., each within the limit, and reads them back', () => {
    const e = engine(format)
    const big = 'é'.repeat(4000)
    const result = write(e, new Map(), { big, user: 'ada' })
    const cookies = setCookiesOf(result)
    assert.deepEqual(
      cookies.map((c) => c.slice(0, c.indexOf('='))),
      ['session.0', 'session.1', 'session.2'],
    )
    for (const cookie of cookies) {
      // Name and value, without the `=` (RFC 6265bis section 5.7 counts those two).
      const size = cookie.indexOf(';') - 1
      assert.ok(size <= MAX_NAME_AND_VALUE_BYTES, `a chunk of ${size} bytes`)
      assert.match(cookie, /; path=\/; Max-Age=1209600; httponly; samesite=lax$/)
    }
    const jar = browserAfter(result)
    assert.deepEqual(e.open(header(jar)).session.data, { big, user: 'ada' })
    // Browsers may send the chunks in any order.
    const reversed = [...jar]
      .reverse()
      .map(([n, v]) => `${n}=${v}`)
      .join('; ')
    assert.deepEqual(e.open(reversed).session.data, { big, user: 'ada' })
    // An unchanged read sends nothing.
    const read = e.open(header(jar))
    assert.equal(read.session.get('user'), 'ada')
    assert.equal(read.commit().setCookie, undefined)
  })

  it('deletes leftover chunks when the session shrinks, and the plain cookie when it grows', () => {
    const e = engine(format)
    const three = browserAfter(write(e, new Map(), { big: 'x'.repeat(9000) }))
    assert.deepEqual([...three.keys()].sort(), ['session.0', 'session.1', 'session.2'])
    const two = browserAfter(write(e, three, { big: 'x'.repeat(5000) }), three)
    assert.deepEqual([...two.keys()].sort(), ['session.0', 'session.1'])
    const one = browserAfter(write(e, two, { small: 1 }), two)
    assert.deepEqual([...one.keys()], ['session'])
    assert.deepEqual(e.open(header(one)).session.data, { small: 1 })
    const grown = browserAfter(write(e, one, { big: 'y'.repeat(5000) }), one)
    assert.deepEqual([...grown.keys()].sort(), ['session.0', 'session.1'])
    assert.deepEqual(e.open(header(grown)).session.data, { big: 'y'.repeat(5000) })
  })

  it('deletes every chunk when the session is cleared', () => {
    const e = engine(format)
    const jar = browserAfter(write(e, new Map(), { big: 'x'.repeat(9000) }))
    const opened = e.open(header(jar))
    opened.session.destroy()
    const result = opened.commit()
    assert.deepEqual(
      setCookiesOf(result).map((c) => c.slice(0, c.indexOf('='))),
      ['session', 'session.0', 'session.1', 'session.2'],
    )
    assert.ok(setCookiesOf(result).every((c) => /Max-Age=0/.test(c)))
    assert.equal(browserAfter(result, jar).size, 0)
  })

  it('fails with CookieTooLarge past the chunk bound, naming the size and the bound', () => {
    const opened = engine(format).open(undefined)
    opened.session.set('big', 'x'.repeat(20000))
    assert.throws(
      () => opened.commit(),
      (error: unknown) => error instanceof CookieTooLarge && error.limit > 3 * 4000 && error.size > 20000,
    )
  })

  it('turns a missing, reordered-into-garbage or forged chunk into an empty session, never an error', () => {
    const rejected: BadData[] = []
    const e = engine(format, rejected)
    const jar = browserAfter(write(e, new Map(), { big: 'x'.repeat(9000) }))
    const without = (name: string) => new Map([...jar].filter(([n]) => n !== name))
    const swapped = new Map(jar)
    swapped.set('session.0', jar.get('session.1') as string)
    swapped.set('session.1', jar.get('session.0') as string)
    const hostile = [
      header(without('session.1')),
      header(without('session.0')),
      header(swapped),
      `${header(jar)}; session.3=${'A'.repeat(4000)}`.replace(/session\.2=[^;]*/, 'session.2=AAAA'),
      `session.0=${'A'.repeat(4090)}; session.1=${'A'.repeat(4090)}; session.2=${'A'.repeat(4090)}`,
    ]
    for (const cookie of hostile) {
      assert.deepEqual(e.open(cookie).session.data, {}, cookie.slice(0, 60))
    }
    assert.equal(rejected.length, hostile.length - 1, 'a header without session.0 carries no session at all')
  })

  it('never chunks a format without a chunk policy', () => {
    const e = engine(sealed())
    const opened = e.open('session.0=abc; session.1=def')
    assert.equal(opened.session.isNew, true, 'chunks are not read either')
  })
})
