/**
 * One suite, every format: each format through the engine (`createSessionEngine({ format })`) gets
 * the core's hostile cases, and each must give an empty session (reporting the reason to
 * `onInvalid`), never throw; and each refuses to commit a session past 4096 bytes. On the portable
 * build (test/runtimes/portable-node.test.ts) iron is left out: it cannot be created there.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { available as cipherAvailable } from '#cipher'
import { available as zlibAvailable } from '#zlib'
import { type CookieEngine, createSessionEngine } from '../cookie-engine.ts'
import { BadData, CookieTooLarge } from '../errors.ts'
import { cached } from './cached.ts'
import { flask } from './flask.ts'
import type { CookieFormat } from './format.ts'
import { iron } from './iron.ts'
import { starlette } from './starlette.ts'

const SECRET = 'formats-suite-secret-0123456789abcdefgh'
const OTHER = 'formats-suite-other-secret-0123456789ab'
const T0 = 1_700_000_000
const FORMATS: [string, () => CookieFormat][] = [
  ['starlette', () => starlette()],
  ['flask', () => flask()],
  ...(cipherAvailable ? ([['iron', () => iron()]] as [string, () => CookieFormat][]) : []),
  ['cached(flask)', () => cached(flask())],
]

function engineFor(format: CookieFormat, at = T0, secretKey: string | string[] = SECRET) {
  const rejected: BadData[] = []
  const engine = createSessionEngine({
    secretKey,
    format,
    now: () => at * 1000,
    onInvalid: (error) => rejected.push(error),
  })
  return { engine, rejected }
}

/** The cookie value an engine writes for `data`. */
function cookieValueOf(engine: CookieEngine, data: Record<string, unknown>): string {
  const header = engine.serialize(data)
  return header.slice(header.indexOf('=') + 1, header.indexOf(';'))
}

for (const [name, make] of FORMATS) {
  describe(`${name}: hostile cookies give an empty session`, () => {
    const good = cookieValueOf(engineFor(make()).engine, { user: 'ada', é: ['✓', { n: 1 }] })

    function refused(value: string, at = T0, why?: RegExp): void {
      const { engine, rejected } = engineFor(make(), at)
      assert.deepEqual({ ...engine.open(`session=${value}`).session.data }, {}, value)
      assert.equal(rejected.length, 1, value)
      assert.ok(rejected[0] instanceof BadData)
      if (why !== undefined) assert.match(`${rejected[0]?.name}: ${rejected[0]?.message}`, why)
    }

    it('reads its own cookie (control), ASCII and not', () => {
      const { engine } = engineFor(make())
      assert.deepEqual(
        { ...engine.open(`session=${good}`).session.data },
        { user: 'ada', é: ['✓', { n: 1 }] },
      )
    })

    it('truncated', () => {
      for (const cut of [1, 5, good.length >> 1, good.length - 1]) refused(good.slice(0, cut))
    })

    it('tampered: any one character changed', () => {
      for (const at of [0, 8, good.length >> 1, good.length - 4]) {
        const c = good[at] === 'A' ? 'B' : 'A'
        refused(good.slice(0, at) + c + good.slice(at + 1))
      }
    })

    it('signed with another key', () => {
      refused(
        cookieValueOf(engineFor(make(), T0, OTHER).engine, { user: 'ada' }),
        T0,
        /Signature|password id|HMAC/,
      )
    })

    it('expired, and dated in the future', () => {
      refused(good, T0 + 1_209_600 + 120, /SignatureExpired/)
      if (name !== 'iron') refused(good, T0 - 3600, /SignatureFromFuture/)
    })

    it('authentic but not a JSON object: not JSON, an array', () => {
      const codec = make().create({ secrets: [SECRET], maxAge: 1_209_600, clockSkew: 60 })
      refused(codec.encode('not json', T0), T0, /BadPayload/)
      refused(codec.encode('[1, 2]', T0), T0, /not a JSON object/)
      refused(codec.encode('{"__proto__": {"x": 1}}', T0), T0, /forbidden key/)
    })

    it('oversized: past 4096 bytes, dropped before any check', () => {
      refused(good + 'A'.repeat(4096), T0, /over the 4096-byte limit/)
    })

    it('another format’s cookie, and garbage', () => {
      for (const [other, makeOther] of FORMATS) {
        if (other === name || other.includes(name) || name.includes(other)) continue
        refused(cookieValueOf(engineFor(makeOther()).engine, { user: 'ada' }))
      }
      for (const junk of ['', '.', '..', '...', '*', 'Fe26.2**', '~2', '\u0000\u001b[31m', 'é']) refused(junk)
    })

    it('past 4096 bytes a commit fails with CookieTooLarge, naming the size', () => {
      const { engine } = engineFor(make())
      const opened = engine.open(undefined)
      opened.session.set('blob', randomBytes(3200).toString('base64'))
      assert.throws(
        () => opened.commit(),
        (error: unknown) => error instanceof CookieTooLarge && error.size > 4096 && error.limit === 4096,
      )
    })

    it('rotation: a cookie of an older key is read and re-issued with the first', () => {
      const old = cookieValueOf(engineFor(make(), T0, OTHER).engine, { a: 1 })
      const { engine } = engineFor(make(), T0, [SECRET, OTHER])
      const opened = engine.open(`session=${old}`)
      assert.equal(opened.session.get('a'), 1)
      const { setCookie } = opened.commit()
      const fresh = (setCookie as string).slice(8, (setCookie as string).indexOf(';'))
      assert.equal(engine.format.decode(fresh, T0).keyIndex, 0)
    })
  })
}

describe('flask: a zlib bomb through the engine', () => {
  it('gives an empty session and reports the bound', {
    skip: zlibAvailable ? false : 'needs node:zlib',
  }, () => {
    const bomb = deflateSync(Buffer.from(`{"a":1${' '.repeat(2_000_000)}}`))
    const codec = flask({ maxInflatedBytes: 10_000_000 }).create({
      secrets: [SECRET],
      maxAge: null,
      clockSkew: 60,
    })
    // Well signed (a leaked key, a careless signer): only the bound stands between it and 2 MB.
    const value = codec.encode(`{"a":1${' '.repeat(2_000_000)}}`, T0)
    assert.ok(value.length < 4096 && bomb.length < 4096)
    const { engine, rejected } = engineFor(flask())
    assert.deepEqual({ ...engine.open(`session=${value}`).session.data }, {})
    assert.match(rejected[0]?.message ?? '', /inflates past the 65536-byte limit/)
  })
})
