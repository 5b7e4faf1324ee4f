import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ConfigError } from './errors.ts'
import { DEFAULTS, type SessionOptions } from './options.ts'
import { resolveOptions } from './resolve-options.ts'

const secretKey = 's'.repeat(32)

function rejects(options: Partial<SessionOptions>, message: RegExp): void {
  assert.throws(
    () => resolveOptions({ secretKey, ...options } as SessionOptions),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error))
      assert.match(error.message, message)
      return true
    },
  )
}

describe('resolveOptions', () => {
  it('applies Starlette’s defaults', () => {
    const o = resolveOptions({ secretKey })
    assert.equal(o.sessionCookie, 'session')
    assert.equal(o.maxAge, 14 * 24 * 3600)
    assert.equal(o.path, '/')
    assert.equal(o.sameSite, 'lax')
    assert.equal(o.httpsOnly, false)
    assert.equal(o.domain, undefined)
    assert.equal(o.algorithm, 'sha1')
    assert.equal(DEFAULTS.refreshAfter, null)
  })

  it('does not mutate the caller’s options', () => {
    const options = Object.freeze({ secretKey: Object.freeze([secretKey, 'old']) })
    assert.deepEqual(resolveOptions(options).secretKey, [secretKey, 'old'])
  })

  it('refuses missing, empty and short secrets, with how to make one', () => {
    rejects({ secretKey: undefined as unknown as string }, /secretKey: missing.*randomBytes/)
    rejects({ secretKey: [] }, /secretKey: missing/)
    rejects({ secretKey: 'short' }, /5 characters, shorter than 32.*randomBytes.*allowWeakSecret: true/)
    rejects({ secretKey: [secretKey, ''] }, /secretKey\[1\]: an empty string/)
    rejects({ secretKey: [secretKey, undefined as unknown as string] }, /secretKey\[1\]: undefined/)
    rejects(
      { secretKey: 42 as unknown as string },
      /secretKey: expected a string or a list of strings, got number/,
    )
    assert.doesNotThrow(() => resolveOptions({ secretKey: [secretKey, 'weak-old-secret'] }))
  })

  it('explains an empty secret (`process.env.SECRET_KEY ?? ""`) without a list index, and where secrets come from', () => {
    assert.throws(
      () => resolveOptions({ secretKey: '' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.doesNotMatch(error.message, /\[0\]/)
        assert.match(error.message, /^secretKey: an empty string \(is its environment variable set\?\)/)
        assert.match(
          error.message,
          /environment variable \(secretKey: process\.env\.SECRET_KEY\) or a secrets manager/,
        )
        assert.match(error.message, /generate one with: node -e/)
        return true
      },
    )
  })

  it('refuses SameSite=None and Partitioned without Secure', () => {
    rejects({ sameSite: 'none' }, /"none" requires httpsOnly/)
    rejects({ partitioned: true }, /partitioned.*httpsOnly/)
    rejects({ sameSite: 'loose' as 'lax' }, /"loose" is not one of/)
    assert.doesNotThrow(() =>
      resolveOptions({ secretKey, sameSite: 'none', httpsOnly: true, partitioned: true }),
    )
  })

  it('refuses illegal characters in the cookie name, path and domain', () => {
    for (const name of ['', 'a;b', 'a b', 'a=b', 'sess\nion', 'a,b', 'ü'])
      rejects({ sessionCookie: name }, /sessionCookie/)
    for (const path of ['', 'relative', '/a;b', '/a\nb']) rejects({ path }, /path/)
    for (const domain of ['exa mple.com', 'a;b.com', '-bad.com', 'a..b']) rejects({ domain }, /domain/)
    assert.doesNotThrow(() =>
      resolveOptions({ secretKey, sessionCookie: 'my-app.sid', path: '/app', domain: '.example.com' }),
    )
  })

  it('enforces cookie prefixes', () => {
    rejects({ sessionCookie: '__Secure-s' }, /__Secure-/)
    rejects({ sessionCookie: '__Host-s', httpsOnly: true, path: '/app' }, /__Host-/)
    assert.doesNotThrow(() => resolveOptions({ secretKey, sessionCookie: '__Host-s', httpsOnly: true }))
  })

  it('enforces cookie prefixes whatever their case, as browsers do', () => {
    rejects({ sessionCookie: '__HOST-session' }, /__Host-/)
    rejects({ sessionCookie: '__secure-session' }, /__Secure-/)
    rejects({ sessionCookie: '__host-s', httpsOnly: true, domain: 'example.com' }, /__Host-/)
  })

  it('checks lifetimes', () => {
    for (const maxAge of [0, -1, 1.5, 401 * 86400, Number.NaN]) rejects({ maxAge }, /maxAge/)
    rejects({ refreshAfter: 100, maxAge: 100 }, /refreshAfter: 100 must be less than maxAge/)
    rejects({ refreshAfter: -1 }, /refreshAfter/)
    rejects({ clockSkew: -5 }, /clockSkew/)
    assert.equal(resolveOptions({ secretKey, maxAge: null }).maxAge, null)
  })
})

describe('allowWeakSecret: the opt-in to sign with a short shared secret', () => {
  const weak = 'fastapi-secret' // 14 characters, as real FastAPI apps often have

  it('accepts a short signing secret only when set to true, and warns once, through one function', (t: TestContext) => {
    const warn = t.mock.method(console, 'warn', () => {})
    rejects({ secretKey: weak }, /14 characters, shorter than 32/)
    const options = Object.freeze({ secretKey: weak, allowWeakSecret: true })
    assert.deepEqual(resolveOptions(options).secretKey, [weak])
    assert.equal(warn.mock.callCount(), 1)
    const message = String(warn.mock.calls[0]?.arguments[0])
    assert.match(message, /WEAK SECRET: the signing secret is 14 characters/)
    assert.match(message, /a cookie forged with it is accepted/)
    assert.doesNotMatch(message, new RegExp(weak), 'the warning never prints the secret')
  })

  it('does not warn for a strong secret or for a short key that only verifies', (t: TestContext) => {
    const warn = t.mock.method(console, 'warn', () => {})
    resolveOptions({ secretKey, allowWeakSecret: true })
    resolveOptions({ secretKey: [secretKey, weak] })
    assert.equal(warn.mock.callCount(), 0)
  })

  it('still refuses an empty secret, and a value that is not a boolean (an unparsed env var)', () => {
    rejects({ secretKey: '', allowWeakSecret: true }, /secretKey: an empty string/)
    rejects(
      { secretKey: weak, allowWeakSecret: 'true' as unknown as boolean },
      /allowWeakSecret: true must be true or false/,
    )
  })
})

describe('unknown options', () => {
  it('names the option meant for express-session, cookie-session and iron-session habits', () => {
    rejects(
      { secure: true } as Partial<SessionOptions>,
      /^secure: not a tessera option; use httpsOnly: true instead/,
    )
    rejects(
      { name: 'sid' } as Partial<SessionOptions>,
      /^name: not a tessera option; use sessionCookie: "sid" instead/,
    )
    rejects({ secret: 'x'.repeat(40) } as Partial<SessionOptions>, /^secret: .*use secretKey instead/)
    rejects({ keys: ['a', 'b'] } as Partial<SessionOptions>, /^keys: .*use secretKey instead/)
    rejects({ password: 'p'.repeat(32) } as Partial<SessionOptions>, /^password: .*use secretKey instead/)
    rejects({ cookieName: 'app' } as Partial<SessionOptions>, /^cookieName: .*use sessionCookie: "app"/)
    rejects(
      { resave: false } as Partial<SessionOptions>,
      /^resave: .*remove it: tessera writes a session only when it changed/,
    )
    rejects({ saveUninitialized: false } as Partial<SessionOptions>, /^saveUninitialized: .*remove it/)
    rejects({ rolling: true } as Partial<SessionOptions>, /^rolling: .*use refreshAfter: 0/)
    rejects({ httpOnly: true } as Partial<SessionOptions>, /^httpOnly: .*always HttpOnly/)
    rejects(
      { secure: 'auto' } as Partial<SessionOptions>,
      /^secure: .*use httpsOnly: "auto" instead, with trustProxy/,
    )
    rejects({ store: {} } as Partial<SessionOptions>, /^store: .*createStoreEngine/)
  })

  it('translates express-session’s nested cookie options, milliseconds to seconds', () => {
    rejects(
      {
        cookie: { maxAge: 86_400_000, secure: true, sameSite: 'strict', httpOnly: true },
      } as Partial<SessionOptions>,
      /^cookie: not a tessera option; tessera takes the cookie attributes as top-level options: write maxAge: 86400 \(seconds; cookie\.maxAge is milliseconds\), httpsOnly: true, sameSite: "strict", nothing for httpOnly/,
    )
  })

  it('maps Starlette’s snake_case to camelCase, and never prints a secret', () => {
    rejects(
      { secret_key: 'x'.repeat(40) } as Partial<SessionOptions>,
      /^secret_key: .*use secretKey instead \(tessera’s options are camelCase\)$/,
    )
    rejects({ max_age: 3600 } as Partial<SessionOptions>, /^max_age: .*use maxAge: 3600 instead/)
    rejects({ same_site: 'strict' } as Partial<SessionOptions>, /^same_site: .*use sameSite: "strict"/)
    rejects({ https_only: true } as Partial<SessionOptions>, /^https_only: .*use httpsOnly: true/)
    rejects(
      { session_cookie: 'app' } as Partial<SessionOptions>,
      /^session_cookie: .*use sessionCookie: "app"/,
    )
    assert.throws(
      () => resolveOptions({ secretKey, secret_key: 'do-not-print-me' } as SessionOptions),
      (error: Error) => !error.message.includes('do-not-print-me'),
    )
  })

  it('suggests the closest option for a typo, ignoring case', () => {
    rejects(
      { sessionCokie: 'a' } as Partial<SessionOptions>,
      /^sessionCokie: not a tessera option; did you mean sessionCookie\?$/,
    )
    rejects({ samesite: 'lax' } as Partial<SessionOptions>, /did you mean sameSite\?/)
    rejects({ sameStie: 'lax' } as Partial<SessionOptions>, /did you mean sameSite\?/)
    rejects({ maxage: 60 } as Partial<SessionOptions>, /did you mean maxAge\?/)
    rejects({ domian: 'a.com' } as Partial<SessionOptions>, /did you mean domain\?/)
    rejects(
      { frobnicate: 1 } as Partial<SessionOptions>,
      /^frobnicate: not a tessera option; the tessera options are secretKey, allowWeakSecret, sessionCookie/,
    )
  })

  it('accepts every documented option, and format and logger ahead of their arrival', () => {
    const options = {
      secretKey,
      allowWeakSecret: false,
      sessionCookie: 's',
      maxAge: 60,
      path: '/',
      sameSite: 'lax',
      httpsOnly: false,
      domain: undefined,
      partitioned: false,
      algorithm: 'sha256',
      refreshAfter: null,
      clockSkew: 1,
      onInvalid: () => {},
      now: Date.now,
      schema: undefined,
      format: undefined,
      logger: undefined,
    }
    assert.doesNotThrow(() => resolveOptions(options as unknown as SessionOptions))
  })

  it('reads the caller’s options without changing them', () => {
    const options = Object.freeze({ secretKey, secure: true })
    assert.throws(() => resolveOptions(options as SessionOptions), ConfigError)
    assert.deepEqual(options, { secretKey, secure: true })
  })

  it('says when maxAge looks like milliseconds', () => {
    rejects({ maxAge: 86_400_000 }, /maxAge: 86400000 must be .*looks like milliseconds.*maxAge: 86400$/)
  })
})
