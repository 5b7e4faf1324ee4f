import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CookieEngine } from './cookie-engine.ts'
import { ConfigError } from './errors.ts'
import { isSecureRequest, type RequestFacts } from './proxy.ts'
import { memoryStore } from './stores/memory.ts'
import { createStoreEngine } from './stores/store-engine.ts'

const secretKey = 'proxy-unit-secret-0123456789-abcdefghijk'

function facts(
  forwardedProto: string | undefined,
  remoteAddress = '10.0.0.2',
  encrypted = false,
): RequestFacts {
  return { encrypted, remoteAddress, forwardedProto }
}

describe('isSecureRequest: X-Forwarded-Proto only when trusted', () => {
  it('believes the connection, and no header without trustProxy', () => {
    assert.equal(isSecureRequest(facts(undefined, undefined, true), false), true)
    assert.equal(isSecureRequest(facts('https'), false), false)
    assert.equal(isSecureRequest(facts(undefined), true), false)
  })

  it('true: the leftmost value', () => {
    assert.equal(isSecureRequest(facts('https'), true), true)
    assert.equal(isSecureRequest(facts(' HTTPS '), true), true)
    assert.equal(isSecureRequest(facts('http, https'), true), false)
  })

  it('a hop count: the value the outermost trusted proxy wrote, not what the client sent before it', () => {
    assert.equal(isSecureRequest(facts('https'), 1), true)
    assert.equal(isSecureRequest(facts('https,http'), 1), false) // the client forged "https"
    assert.equal(isSecureRequest(facts('http,https'), 1), true)
    assert.equal(isSecureRequest(facts('https,http'), 2), true)
    assert.equal(isSecureRequest(facts('https'), 3), true)
  })

  it('a function of the peer address: the rightmost value when the peer is trusted', () => {
    const trust = (address: string | undefined) => address === '10.0.0.2'
    assert.equal(isSecureRequest(facts('https'), trust), true)
    assert.equal(isSecureRequest(facts('https', '203.0.113.9'), trust), false)
    assert.equal(isSecureRequest(facts('http, https'), trust), true)
  })
})

describe("httpsOnly: 'auto'", () => {
  const cookieOf = (
    secure: boolean | undefined,
    engine = new CookieEngine({ secretKey, httpsOnly: 'auto' }),
  ) => {
    const opened = engine.open(undefined, secure === undefined ? undefined : { secure })
    opened.session.set('user', 'ada')
    return opened.commit().setCookie ?? ''
  }

  it('adds Secure when the request came over HTTPS, and only then', () => {
    assert.match(cookieOf(true), /; secure/)
    assert.doesNotMatch(cookieOf(false), /; secure/)
    assert.doesNotMatch(cookieOf(undefined), /; secure/)
    // true and false ignore the request
    assert.match(cookieOf(false, new CookieEngine({ secretKey, httpsOnly: true })), /; secure/)
    assert.doesNotMatch(cookieOf(true, new CookieEngine({ secretKey })), /; secure/)
  })

  it('the clearing cookie follows the request too', () => {
    const engine = new CookieEngine({ secretKey, httpsOnly: 'auto' })
    const cookie = cookieOf(true, engine).split(';')[0] as string
    const opened = engine.open(cookie, { secure: true })
    opened.session.clear()
    assert.match(opened.commit().setCookie ?? '', /Max-Age=0.*; secure/)
  })

  it('on the store engine as well', async () => {
    const engine = createStoreEngine({
      secretKey,
      httpsOnly: 'auto',
      store: memoryStore({ sweepInterval: 0 }),
    })
    for (const secure of [true, false]) {
      const opened = engine.open(undefined, { secure })
      await opened.session.load()
      opened.session.set('user', 'ada')
      const { setCookie } = await opened.commit()
      assert.equal(/; secure/.test(setCookie ?? ''), secure)
    }
  })

  it('is refused with cookies that browsers accept only with Secure', () => {
    const refused = [
      { sameSite: 'none' as const },
      { partitioned: true },
      { sessionCookie: '__Host-session' },
      { sessionCookie: '__secure-session' },
    ]
    for (const options of refused) {
      assert.throws(
        () => new CookieEngine({ secretKey, httpsOnly: 'auto', ...options }),
        (error: unknown) =>
          error instanceof ConfigError && /httpsOnly: "auto" with .*use httpsOnly: true/.test(error.message),
        JSON.stringify(options),
      )
    }
    assert.throws(
      () => new CookieEngine({ secretKey, httpsOnly: 'yes' as never }),
      /httpsOnly: "yes" must be/,
    )
    assert.throws(() => new CookieEngine({ secretKey, trustProxy: 1.5 }), /trustProxy: 1.5/)
  })

  it("express-session's secure: 'auto' habit points to it", () => {
    assert.throws(() => new CookieEngine({ secretKey, secure: 'auto' } as never), /httpsOnly: "auto"/)
  })
})
