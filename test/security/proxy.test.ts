/**
 * Behind a TLS-terminating proxy, through every adapter over plain HTTP: with `httpsOnly: 'auto'` the
 * cookie carries Secure only when the request came over HTTPS as far as tessera's `trustProxy` lets it
 * tell; `X-Forwarded-Proto` from an untrusted client changes nothing. The CSRF check's own origin
 * follows the same rule.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { TrustProxy } from 'tessera-session'
import type { Listening } from '../adapter-suite/in-process.ts'
import { securityApps } from './apps.ts'

const secretKey = 'proxy-suite-secret-0123456789-abcdefghij'

/** Adapters that know the peer's address (all but a bare fetch handler, which is never told it). */
const KNOWS_PEER = (name: string) => name !== 'fetch on node'

for (const [name, start] of securityApps) {
  describe(`httpsOnly: 'auto' through ${name}`, () => {
    const apps: Listening[] = []
    after(() => Promise.all(apps.map((app) => app.close())))

    async function appWith(trustProxy: TrustProxy | undefined): Promise<Listening> {
      const app = await start({
        session: { secretKey, httpsOnly: 'auto', ...(trustProxy === undefined ? {} : { trustProxy }) },
        ...(trustProxy === undefined ? {} : { csrf: { trustProxy } }),
      })
      apps.push(app)
      return app
    }

    async function setCookie(app: Listening, headers: Record<string, string> = {}): Promise<string> {
      const response = await fetch(`${app.url}/set`, { headers })
      assert.equal(response.status, 200)
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))
      assert.ok(cookie)
      return cookie
    }

    let untrusting: Listening
    let trusting: Listening
    before(async () => {
      untrusting = await appWith(undefined)
      trusting = await appWith(true)
    })

    it('plain HTTP gets no Secure, and a client cannot claim HTTPS without trustProxy', async () => {
      assert.doesNotMatch(await setCookie(untrusting), /secure/i)
      assert.doesNotMatch(await setCookie(untrusting, { 'x-forwarded-proto': 'https' }), /secure/i)
    })

    it('a trusted X-Forwarded-Proto: https gets Secure; http or none does not', async () => {
      assert.match(await setCookie(trusting, { 'x-forwarded-proto': 'https' }), /; secure/)
      assert.doesNotMatch(await setCookie(trusting, { 'x-forwarded-proto': 'http' }), /secure/i)
      assert.doesNotMatch(await setCookie(trusting), /secure/i)
    })

    it('a hop count ignores what the client put before the proxy', async () => {
      const oneHop = await appWith(1)
      assert.doesNotMatch(await setCookie(oneHop, { 'x-forwarded-proto': 'https, http' }), /secure/i)
      assert.match(await setCookie(oneHop, { 'x-forwarded-proto': 'http, https' }), /; secure/)
    })

    it('a function trusts by peer address', async () => {
      const loopback = await appWith((address) => address === '127.0.0.1' || address === '::ffff:127.0.0.1')
      const nobody = await appWith(() => false)
      assert.doesNotMatch(await setCookie(nobody, { 'x-forwarded-proto': 'https' }), /secure/i)
      const secure = /; secure/.test(await setCookie(loopback, { 'x-forwarded-proto': 'https' }))
      assert.equal(secure, KNOWS_PEER(name), 'only adapters that know the peer can trust it')
    })

    it("the CSRF check's own origin is https only through a trusted proxy", async () => {
      for (const [app, expected] of [
        [trusting, 200],
        [untrusting, 403],
      ] as const) {
        const headers = { 'x-forwarded-proto': 'https' }
        const first = await fetch(`${app.url}/token`, { headers })
        const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] as string
        const { token } = (await first.json()) as { token: string }
        const origin = app.url.replace('http:', 'https:')
        const post = await fetch(`${app.url}/change`, {
          method: 'POST',
          headers: { ...headers, cookie, origin, 'x-csrf-token': token },
        })
        assert.equal(post.status, expected)
      }
    })
  })
}
