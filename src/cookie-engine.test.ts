import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cookieValue, signPayload } from '../test/support/cookies.ts'
import { CookieEngine } from './cookie-engine.ts'
import {
  BadData,
  BadPayload,
  BadSignature,
  CookieTooLarge,
  SignatureExpired,
  SignatureFromFuture,
} from './errors.ts'
import type { SessionOptions } from './options.ts'

const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
const NOW = 1_800_000_000

function engineAt(seconds: number, options: Partial<SessionOptions> = {}, rejected: BadData[] = []) {
  return new CookieEngine({
    secretKey: SECRET,
    now: () => seconds * 1000,
    onInvalid: (e) => rejected.push(e),
    ...options,
  })
}

/** A valid cookie header carrying `data`, issued at `issuedAt`. */
function cookieFor(
  data: Record<string, unknown>,
  issuedAt = NOW,
  options: Partial<SessionOptions> = {},
): string {
  const engine = engineAt(issuedAt, options)
  return `session=${cookieValue(engine.serialize(data))}`
}

/** The header pair carrying a payload signed correctly but not valid base64 JSON of an object. */
function signed(payload: string): string {
  return `session=${signPayload(SECRET, payload, NOW)}`
}
const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('CookieEngine round trip', () => {
  it('reads back what it wrote', () => {
    const header = cookieFor({ my_session: '1234', nested: { list: [1, 'два', null] } })
    const session = engineAt(NOW + 60).open(header)
    assert.deepEqual(session.session.data, { my_session: '1234', nested: { list: [1, 'два', null] } })
    assert.equal(session.session.isNew, false)
  })

  it('sends nothing for an untouched session, even with a cookie', () => {
    const engine = engineAt(NOW)
    assert.deepEqual(engine.open(cookieFor({ a: 1 })).commit(), { setCookie: undefined, vary: false })
    assert.deepEqual(engine.open(undefined).commit(), { setCookie: undefined, vary: false })
  })

  it('adds Vary: Cookie but no Set-Cookie when the session is only read', () => {
    const engine = engineAt(NOW)
    const session = engine.open(cookieFor({ a: 1 }))
    assert.equal(session.session.get('a'), 1)
    assert.deepEqual(session.commit(), { setCookie: undefined, vary: true })
  })

  it('writes a cookie when changed, with Starlette’s attributes', () => {
    const engine = engineAt(NOW)
    const session = engine.open(undefined)
    session.session.set('my_session', '1234')
    const { setCookie, vary } = session.commit()
    assert.equal(vary, true)
    assert.match(
      setCookie ?? '',
      /^session=eyJteV9zZXNzaW9uIjoiMTIzNCJ9\.[\w-]+\.[\w-]{27}; path=\/; Max-Age=1209600; httponly; samesite=lax$/,
    )
  })

  it('writes a cookie when a nested value changed', () => {
    const engine = engineAt(NOW)
    const session = engine.open(cookieFor({ cart: ['apple'] }))
    ;(session.session.get('cart') as string[]).push('pear')
    const again = engineAt(NOW).open(`session=${cookieValue(session.commit().setCookie)}`)
    assert.deepEqual(again.session.get('cart'), ['apple', 'pear'])
  })

  it('deletes the cookie when a session with data is emptied', () => {
    const engine = engineAt(NOW)
    const session = engine.open(cookieFor({ my_session: '1234' }))
    assert.equal(session.session.pop('my_session'), '1234')
    assert.match(
      session.commit().setCookie ?? '',
      /^session=null; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT;/,
    )
  })

  it('sends nothing when a new session is filled and emptied again', () => {
    const engine = engineAt(NOW)
    const session = engine.open(undefined)
    session.session.set('a', 1)
    session.session.delete('a')
    assert.equal(session.commit().setCookie, undefined)
  })

  it('writes a browser-session cookie for maxAge null and for setPersistent(false)', () => {
    const browser = engineAt(NOW, { maxAge: null })
    const s = browser.open(undefined)
    s.session.set('a', 1)
    assert.doesNotMatch(s.commit().setCookie ?? '', /Max-Age|expires/i)
    const engine = engineAt(NOW)
    const t = engine.open(undefined)
    t.session.set('a', 1)
    t.session.setPersistent(false)
    assert.doesNotMatch(t.commit().setCookie ?? '', /Max-Age/)
    const u = engine.open(undefined)
    u.session.set('a', 1)
    u.session.setPersistent(true)
    assert.match(u.commit().setCookie ?? '', /Max-Age=1209600/)
  })
})

describe('CookieEngine key rotation and refresh', () => {
  it('re-issues an unchanged cookie verified by an older key with the newest key', () => {
    const oldCookie = `session=${signPayload('an-old-and-short-secret', b64('{"a":1}'), NOW)}`
    const engine = engineAt(NOW + 10, { secretKey: [SECRET, 'an-old-and-short-secret'] })
    const session = engine.open(oldCookie)
    assert.equal(session.session.get('a'), 1)
    const fresh = cookieValue(session.commit().setCookie)
    assert.equal(
      engineAt(NOW + 10)
        .open(`session=${fresh}`)
        .session.get('a'),
      1,
      'the new cookie verifies with the new key alone',
    )
  })

  it('keeps the original issue time when re-issuing for rotation: old-key cookies are not laundered', () => {
    const weak = 'an-old-and-short-secret'
    const forged = `session=${signPayload(weak, b64('{"user":"mallory"}'), NOW)}`
    const options = { secretKey: [SECRET, weak], maxAge: 3600 }
    const rotated = engineAt(NOW + 3000, options).open(forged)
    rotated.session.set('visits', 1) // even a write keeps the time the old key vouched for
    const setCookie = rotated.commit().setCookie ?? ''
    assert.match(setCookie, /Max-Age=600;/, 'the cookie lives only as long as the old one would have')
    const reissued = `session=${cookieValue(setCookie)}`
    // Once the weak key is gone, the cookie still expires when the forged one would have.
    assert.equal(
      engineAt(NOW + 3599, { maxAge: 3600 })
        .open(reissued)
        .session.get('user'),
      'mallory',
    )
    assert.equal(engineAt(NOW + 3601, { maxAge: 3600 }).open(reissued).session.isEmpty, true)
  })

  it('absoluteTimeout ends a sliding session however active it is, and regenerate() starts it again', () => {
    const options = { maxAge: 3600, refreshAfter: 600, absoluteTimeout: 7200 }
    const first = engineAt(NOW, options).open(undefined)
    first.session.set('user', 'ada')
    let cookie = `session=${cookieValue(first.commit().setCookie)}`
    // Active every 50 minutes: refreshAfter keeps re-issuing the cookie...
    for (const at of [NOW + 3000, NOW + 6000]) {
      const active = engineAt(at, options).open(cookie)
      assert.equal(active.session.get('user'), 'ada')
      const setCookie = active.commit().setCookie ?? ''
      if (at === NOW + 6000) assert.match(setCookie, /Max-Age=1200;/, 'never past the absolute end')
      cookie = `session=${cookieValue(setCookie)}`
    }
    // ...but two hours after sign-in the session is over.
    const rejected: BadData[] = []
    assert.equal(engineAt(NOW + 7200, options, rejected).open(cookie).session.isEmpty, true)
    assert.ok(rejected[0] instanceof SignatureExpired)
    // A new sign-in (regenerate) starts a new absolute window.
    const again = engineAt(NOW + 7000, options).open(cookie)
    again.session.regenerate()
    const renewed = `session=${cookieValue(again.commit().setCookie)}`
    assert.equal(
      engineAt(NOW + 7000 + 3000, options)
        .open(renewed)
        .session.get('user'),
      'ada',
    )
  })

  it('slides expiry: re-issues once the cookie is older than refreshAfter, not before', () => {
    const header = cookieFor({ a: 1 })
    const options = { maxAge: 3600, refreshAfter: 600 }
    const early = engineAt(NOW + 599, options)
    const s = early.open(header)
    s.session.get('a')
    assert.equal(s.commit().setCookie, undefined)
    const due = engineAt(NOW + 600, options)
    const t = due.open(header)
    t.session.get('a')
    const refreshed = cookieValue(t.commit().setCookie)
    assert.equal(
      engineAt(NOW + 600 + 3500, options)
        .open(`session=${refreshed}`)
        .session.get('a'),
      1,
    )
  })
})

describe('CookieEngine with bad input gives an empty session, never an error', () => {
  const valid = cookieFor({ a: 1 })
  const value = valid.slice('session='.length)
  const cases: [string, string | undefined, (new (...a: never[]) => BadData) | undefined][] = [
    ['missing', undefined, undefined],
    ['empty header', '', undefined],
    ['empty value', 'session=', BadSignature],
    ['malformed', 'session=not-a-signed-value', BadSignature],
    ['truncated', valid.slice(0, -5), BadSignature],
    ['tampered payload', `session=${b64('{"a":2}')}${value.slice(value.indexOf('.'))}`, BadSignature],
    ['tampered signature', `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`, BadSignature],
    [
      'wrong secret',
      cookieFor({ a: 1 }, NOW, { secretKey: 'another-secret-that-is-32-chars-long!' }),
      BadSignature,
    ],
    ['expired', cookieFor({ a: 1 }, NOW - 14 * 86400 - 1), SignatureExpired],
    ['future-dated', cookieFor({ a: 1 }, NOW + 3600), SignatureFromFuture],
    ['non-base64 payload', signed('%%%not base64%%%'), BadPayload],
    ['non-JSON payload', signed(b64('not json')), BadPayload],
    ['invalid UTF-8 payload', signed(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')), BadPayload],
    ['JSON array', signed(b64('[1,2]')), BadPayload],
    ['JSON string', signed(b64('"s"')), BadPayload],
    ['JSON null', signed(b64('null')), BadPayload],
    ['__proto__ key', signed(b64('{"__proto__":{"polluted":true}}')), BadPayload],
    ['escaped __proto__ key', signed(b64('{"\\u005f_proto__":{"polluted":true}}')), BadPayload],
    [
      'nested constructor key',
      signed(b64('{"a":{"constructor":{"prototype":{"polluted":true}}}}')),
      BadPayload,
    ],
    ['quoted garbage', 'session="garbage"', BadSignature],
    ['oversized 8 KB', `session=${'A'.repeat(8192)}`, BadData],
    ['only a name', 'session', undefined],
    ['binary junk', 'session=\u0000\u00ff\u0001', BadSignature],
  ]
  for (const [name, header, errorType] of cases) {
    it(name, () => {
      const rejected: BadData[] = []
      const engine = engineAt(NOW, {}, rejected)
      const session = engine.open(header)
      assert.equal(session.session.isNew, true)
      assert.equal(session.session.isEmpty, true)
      assert.deepEqual(session.commit(), { setCookie: undefined, vary: true })
      if (errorType === undefined) assert.equal(rejected.length, 0)
      else assert.ok(rejected[0] instanceof errorType, `${name}: got ${rejected[0]?.name}`)
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
    })
  }

  it('a quoted valid value is read, as Starlette reads it', () => {
    assert.equal(engineAt(NOW).open(`session="${value}"`).session.get('a'), 1)
  })

  it('duplicate cookie names: the last value wins, as in Starlette, valid or not', () => {
    const other = cookieFor({ a: 2 })
    assert.equal(engineAt(NOW).open(`session=bad; ${valid}`).session.get('a'), 1)
    assert.equal(engineAt(NOW).open(`${valid}; ${other}`).session.get('a'), 2)
    assert.equal(engineAt(NOW).open(`${other}; x=1; ${valid}`).session.get('a'), 1)
    assert.equal(engineAt(NOW).open(`${valid}; session=bad`).session.isEmpty, true)
  })

  it('a header repeating the name costs one verification and at most one onInvalid call', () => {
    const rejected: BadData[] = []
    let decodes = 0
    const engine = engineAt(NOW, {}, rejected)
    const decode = engine.format.decode.bind(engine.format)
    ;(engine.format as { decode: typeof decode }).decode = (value, now) => {
      decodes++
      return decode(value, now)
    }
    // 16 KB of the same name: what one hostile client sent to multiply the server's work.
    const hostile = Array.from({ length: 2000 }, () => 'session=.').join('; ')
    assert.equal(engine.open(hostile).session.isEmpty, true)
    assert.equal(decodes, 1)
    assert.equal(rejected.length, 1)
  })

  it('reads cookie names trimmed of space and tab only (RFC 6265), never of Unicode spaces', () => {
    assert.equal(engineAt(NOW).open(` \t${valid}`).session.get('a'), 1)
    // U+00A0 before the name makes it another cookie: trimming it would bypass name prefixes.
    assert.equal(engineAt(NOW).open(`\u00a0${valid}`).session.isEmpty, true)
    assert.equal(engineAt(NOW).open(`\u3000${valid}`).session.isEmpty, true)
  })

  it('a throwing onInvalid hook does not fail the request', () => {
    const engine = new CookieEngine({
      secretKey: SECRET,
      onInvalid: () => {
        throw new Error('observer failed')
      },
    })
    assert.equal(engine.open('session=garbage').session.isEmpty, true)
  })
})

describe('CookieEngine size limit', () => {
  it('refuses to commit a session past 4096 bytes, naming size and limit', () => {
    const engine = engineAt(NOW)
    const session = engine.open(cookieFor({ a: 1 }))
    session.session.set('big', 'x'.repeat(4000))
    assert.throws(
      () => session.commit(),
      (error: unknown) =>
        error instanceof CookieTooLarge &&
        error.limit === 4096 &&
        error.size > 4096 &&
        /4096/.test(error.message),
    )
  })

  it('accepts a session right at the limit', () => {
    const engine = engineAt(NOW)
    let size = 2900
    const fits = (n: number) => {
      try {
        engine.serialize({ big: 'x'.repeat(n) })
        return true
      } catch {
        return false
      }
    }
    while (fits(size + 1)) size++
    const header = engine.serialize({ big: 'x'.repeat(size) })
    // base64 grows 4 characters at a time, so the largest session lands within 3 bytes of the limit.
    const nameAndValue = header.indexOf(';') - 1
    assert.ok(nameAndValue <= 4096 && nameAndValue > 4092, `${nameAndValue}`)
  })
})
