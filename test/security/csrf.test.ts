/**
 * CSRF protection through every adapter, over real HTTP: cross-site form posts, a missing or "null"
 * Origin and a stale token (from before sign-in) are refused with 403 JSON; same-origin requests with
 * the session's token, in the header or the form field, go through. Cookie and store engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createStoreEngine, memoryStore } from 'tessera-session/stores'
import type { Listening } from '../adapter-suite/in-process.ts'
import { securityApps } from './apps.ts'

const secretKey = 'csrf-suite-secret-0123456789-abcdefghijk'
const EVIL = 'https://evil.example'

interface Answer {
  status: number
  json: unknown
  contentType: string
  cookie: string | undefined
}

for (const [name, start] of securityApps) {
  for (const mode of ['cookie', 'store'] as const) {
    describe(`CSRF through ${name} (${mode} engine)`, () => {
      let app: Listening
      let cookie = ''

      async function send(
        method: string,
        path: string,
        headers: Record<string, string> = {},
        body?: string,
      ): Promise<Answer> {
        const response = await fetch(app.url + path, {
          method,
          headers: { cookie, ...headers },
          ...(body === undefined ? {} : { body }),
        })
        const set = response.headers.getSetCookie().find((c) => c.startsWith('session='))
        return {
          status: response.status,
          json: await response.json(),
          contentType: response.headers.get('content-type') ?? '',
          cookie: set?.split(';')[0],
        }
      }

      async function token(): Promise<string> {
        const answer = await send('GET', '/token')
        if (answer.cookie !== undefined) cookie = answer.cookie
        return (answer.json as { token: string }).token
      }

      const form = (t: string) => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(t)}&subject=hi`,
      })

      function refused(answer: Answer): void {
        assert.equal(answer.status, 403)
        assert.match(answer.contentType, /^application\/json/)
        assert.match((answer.json as { detail: string }).detail, /^CSRF check failed/)
        assert.equal(answer.cookie, undefined, 'a refused request changes no cookie')
      }

      before(async () => {
        const session =
          mode === 'cookie'
            ? { secretKey }
            : createStoreEngine({ secretKey, store: memoryStore({ sweepInterval: 0 }) })
        app = await start({ session: session as never })
        cookie = ''
      })
      after(() => app.close())

      it('refuses a cross-site form post, even one carrying the right token', async () => {
        const t = await token()
        const { headers, body } = form(t)
        refused(await send('POST', '/change', { ...headers, origin: EVIL }, body))
        refused(await send('POST', '/change', { ...headers, 'sec-fetch-site': 'cross-site' }, body))
        refused(await send('POST', '/change', { ...headers, 'sec-fetch-site': 'same-site' }, body))
      })

      it('refuses an unsafe request with no Origin, or Origin "null"', async () => {
        const t = await token()
        refused(await send('POST', '/change', { 'x-csrf-token': t }))
        refused(await send('POST', '/change', { 'x-csrf-token': t, origin: 'null' }))
        refused(await send('DELETE', '/change', { 'x-csrf-token': t, origin: 'null' }))
      })

      it('refuses a same-origin request without the token or with another one', async () => {
        const t = await token()
        refused(await send('POST', '/change', { origin: app.url }))
        refused(await send('POST', '/change', { origin: app.url, 'x-csrf-token': `${t.slice(1)}A` }))
      })

      it('accepts a same-origin request with the token in the header or the form field', async () => {
        const t = await token()
        const viaHeader = await send('POST', '/change', { origin: app.url, 'x-csrf-token': t })
        assert.deepEqual([viaHeader.status, viaHeader.json], [200, { done: 'changed' }])
        if (viaHeader.cookie !== undefined) cookie = viaHeader.cookie
        const { headers, body } = form(t)
        const viaForm = await send('POST', '/change', { ...headers, origin: app.url }, body)
        assert.deepEqual([viaForm.status, viaForm.json], [200, { done: 'changed' }])
        const fetchMetadata = await send('POST', '/change', {
          'sec-fetch-site': 'same-origin',
          'x-csrf-token': t,
        })
        assert.deepEqual([fetchMetadata.status, fetchMetadata.json], [200, { done: 'changed' }])
        // Chromium's Origin: null on a same-origin form from a no-referrer page: Fetch Metadata decides.
        const noReferrer = await send('POST', '/change', {
          origin: 'null',
          'sec-fetch-site': 'same-origin',
          'x-csrf-token': t,
        })
        assert.equal(noReferrer.status, 200)
      })

      it('lets safe methods through without a token, from anywhere', async () => {
        const answer = await send('GET', '/set', { origin: EVIL })
        assert.equal(answer.status, 200)
      })

      it('refuses a token from before sign-in (regenerate drops it)', async () => {
        const stale = await token()
        const signIn = await send('POST', '/login', { origin: app.url, 'x-csrf-token': stale })
        assert.deepEqual([signIn.status, signIn.json], [200, { done: 'signed in' }])
        assert.ok(signIn.cookie, 'sign-in issues a new cookie')
        cookie = signIn.cookie
        refused(await send('POST', '/change', { origin: app.url, 'x-csrf-token': stale }))
        const fresh = await token()
        assert.notEqual(fresh, stale)
        const change = await send('POST', '/change', { origin: app.url, 'x-csrf-token': fresh })
        assert.equal(change.status, 200)
      })
    })
  }
}
