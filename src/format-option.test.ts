/**
 * The `format` option: the default, a format given, the `algorithm` shorthand kept for existing
 * configurations, and what is refused.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cached } from './codec/cached.ts'
import { starlette } from './codec/starlette.ts'
import { CookieEngine } from './cookie-engine.ts'
import { ConfigError } from './errors.ts'
import { DEFAULTS, type SessionOptions } from './options.ts'
import { resolveOptions } from './resolve-options.ts'

const secretKey = 'format-option-secret-0123456789abcdef'

/** The `name=value` of the cookie an engine writes for `data`. */
function cookieOf(engine: CookieEngine, data: Record<string, unknown>): string {
  const setCookie = engine.serialize(data)
  return setCookie.slice(0, setCookie.indexOf(';'))
}

describe('the format option', () => {
  it('defaults to Starlette’s cookie, cached, as FastAPI writes it', () => {
    const o = resolveOptions({ secretKey })
    assert.equal(o.format, DEFAULTS.format)
    assert.equal(o.format.name, 'starlette')
    const engine = new CookieEngine({ secretKey })
    assert.equal(engine.format.name, 'starlette')
    assert.equal(engine.open(cookieOf(engine, { a: 1 })).session.get('a'), 1)
  })

  it('takes a format, whose cookies another digest does not read', () => {
    const sha256 = new CookieEngine({ secretKey, format: starlette({ algorithm: 'sha256' }) })
    const sha1 = new CookieEngine({ secretKey })
    assert.equal(sha256.format.name, 'starlette-sha256')
    const cookie = cookieOf(sha256, { a: 1 })
    assert.equal(sha256.open(cookie).session.get('a'), 1)
    assert.equal(sha1.open(cookie).session.get('a'), undefined)
    assert.equal(
      new CookieEngine({ secretKey, format: cached(starlette({ algorithm: 'sha256' })) })
        .open(cookie)
        .session.get('a'),
      1,
    )
  })

  it('keeps `algorithm` as a shorthand for the cached Starlette format with that digest', () => {
    const shorthand = new CookieEngine({ secretKey, algorithm: 'sha512' })
    const explicit = new CookieEngine({ secretKey, format: starlette({ algorithm: 'sha512' }) })
    assert.equal(shorthand.format.name, 'starlette-sha512')
    assert.equal(explicit.open(cookieOf(shorthand, { a: 1 })).session.get('a'), 1)
    assert.equal(resolveOptions({ secretKey, algorithm: 'sha1' }).format, DEFAULTS.format)
    assert.equal(
      resolveOptions({ secretKey, algorithm: 'sha512' }).algorithm,
      'sha512',
      'store engines read it',
    )
  })

  it('refuses an algorithm next to a format, and what is not a format, saying what to pass', () => {
    const rejects = (options: Partial<SessionOptions>, message: RegExp) =>
      assert.throws(
        () => resolveOptions({ secretKey, ...options } as SessionOptions),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      )
    rejects(
      { format: starlette(), algorithm: 'sha256' },
      /algorithm: "sha256" next to a format.*starlette\(\{ algorithm: "sha256" \}\)/,
    )
    rejects({ format: 'starlette' as never }, /format: not a cookie format.*cached\(starlette\(\)\)/)
    rejects({ format: { name: 'x' } as never }, /format: not a cookie format/)
    rejects({ algorithm: 'md5' as 'sha1' }, /algorithm: "md5" is not supported/)
  })
})
