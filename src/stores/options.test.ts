import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ConfigError } from '../errors.ts'
import { memoryStore } from './memory.ts'
import { resolveStoreOptions, type StoreEngineOptions } from './options.ts'

const secretKey = 's'.repeat(32)
const store = memoryStore()

function rejects(options: Record<string, unknown>, message: RegExp): void {
  assert.throws(
    () => resolveStoreOptions({ secretKey, store, ...options } as StoreEngineOptions),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error))
      assert.match(error.message, message)
      return true
    },
  )
}

describe('resolveStoreOptions: unknown options', () => {
  it('points cookie-session lifetimes to the store engine’s own', () => {
    rejects({ maxAge: 3600 }, /^maxAge: not a store engine option; .*idleTimeout .*absoluteTimeout/)
    rejects({ max_age: 3600 }, /^max_age: not a store engine option; .*idleTimeout .*absoluteTimeout/)
    rejects({ refreshAfter: 60 }, /^refreshAfter: .*use touchAfter: 60 instead/)
    rejects({ rolling: true }, /^rolling: .*use touchAfter/)
    rejects({ clockSkew: 5 }, /^clockSkew: .*remove it/)
    rejects({ ttl: 1800 }, /^ttl: .*use idleTimeout: 1800 instead/)
    rejects(
      { cookie: { maxAge: 3_600_000, secure: true } },
      /^cookie: .*write absoluteTimeout: 3600 \(seconds; cookie\.maxAge is milliseconds\), httpsOnly: true/,
    )
  })

  it('keeps the cookie options’ habits, snake_case and typos', () => {
    rejects({ secure: true }, /^secure: .*use httpsOnly: true/)
    rejects({ secret: 'x'.repeat(40) }, /^secret: .*use secretKey instead/)
    rejects({ idle_timeout: 60 }, /^idle_timeout: .*use idleTimeout: 60 instead/)
    rejects({ absolute_timeout: 60 }, /use absoluteTimeout: 60/)
    rejects({ idleTimout: 60 }, /^idleTimout: not a store engine option; did you mean idleTimeout\?$/)
    rejects({ userkey: 'uid' }, /did you mean userKey\?/)
    rejects(
      { frobnicate: 1 },
      /the store engine options are secretKey, .*store, idleTimeout, absoluteTimeout/,
    )
  })

  it('accepts every store and cookie option, logger included, without changing them', () => {
    const options = Object.freeze({
      secretKey,
      allowWeakSecret: false,
      store,
      idleTimeout: 600,
      absoluteTimeout: 3600,
      touchAfter: 60,
      timeout: 500,
      userKey: 'uid',
      persistent: false,
      sessionCookie: 'sid',
      path: '/',
      sameSite: 'strict',
      httpsOnly: true,
      domain: 'example.com',
      partitioned: false,
      algorithm: 'sha256',
      onInvalid: () => {},
      now: Date.now,
      schema: undefined,
      logger: undefined,
    })
    const copy = { ...options }
    const { cookie, settings } = resolveStoreOptions(options as unknown as StoreEngineOptions)
    assert.equal(cookie.sessionCookie, 'sid')
    assert.equal(cookie.maxAge, 3600, 'the cookie lives as long as the session can')
    assert.equal(settings.userKey, 'uid')
    assert.deepEqual(options, copy)
  })

  it('says when absoluteTimeout looks like milliseconds', () => {
    rejects({ absoluteTimeout: 86_400_000 }, /looks like milliseconds.*absoluteTimeout: 86400$/)
  })

  it('takes the weak-secret opt-in like the cookie engine, warning once', (t: TestContext) => {
    const warn = t.mock.method(console, 'warn', () => {})
    rejects({ secretKey: 'short-secret' }, /12 characters, shorter than 32.*allowWeakSecret: true/)
    resolveStoreOptions({ secretKey: 'short-secret', allowWeakSecret: true, store })
    assert.equal(warn.mock.callCount(), 1)
  })
})
