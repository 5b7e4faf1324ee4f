import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from './errors.ts'
import { DEFAULTS, resolveOptions, type SessionOptions } from './options.ts'

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
    rejects({ secretKey: '' }, /secretKey\[0\]: must be a non-empty string/)
    rejects({ secretKey: [] }, /secretKey: missing/)
    rejects({ secretKey: 'short' }, /5 characters, shorter than 32.*randomBytes/)
    rejects({ secretKey: [secretKey, ''] }, /secretKey\[1\]/)
    assert.doesNotThrow(() => resolveOptions({ secretKey: [secretKey, 'weak-old-secret'] }))
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

  it('checks lifetimes', () => {
    for (const maxAge of [0, -1, 1.5, 401 * 86400, Number.NaN]) rejects({ maxAge }, /maxAge/)
    rejects({ refreshAfter: 100, maxAge: 100 }, /refreshAfter: 100 must be less than maxAge/)
    rejects({ refreshAfter: -1 }, /refreshAfter/)
    rejects({ clockSkew: -5 }, /clockSkew/)
    assert.equal(resolveOptions({ secretKey, maxAge: null }).maxAge, null)
  })
})
