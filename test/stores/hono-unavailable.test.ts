/**
 * The Hono adapter turns StoreUnavailable into a 503, whether the store fails while the session is
 * loaded (in the handler) or while it is written back (after the handler); other errors are untouched.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono } from 'hono'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { captureConsoleErrors } from '../support/console.ts'

const SECRET = 'hono-503-test-secret-0123456789abcdef0123456789'
const never = () => new Promise<never>(() => {})

function appOn(store: Store) {
  const app = new Hono<SessionEnv>()
  app.use(sessions(createStoreEngine({ secretKey: SECRET, store, timeout: 50 })))
  app.get('/set', async (c) => {
    ;(await c.var.session.load()).set('a', 1)
    return c.text('ok')
  })
  app.get('/get', async (c) => c.json((await c.var.session.load()).data))
  app.get('/boom', () => {
    throw new Error('not a store problem')
  })
  return app
}

describe('hono adapter: store unavailable', () => {
  it('answers 503 when the store fails while loading the session', async (t) => {
    const logged = captureConsoleErrors(t)
    const healthy = memoryStore()
    const cookie = (await appOn(healthy).request('/set')).headers.get('set-cookie')?.split(';')[0] ?? ''
    const app = appOn({
      ...healthy,
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: never,
      destroy: never,
    })
    const response = await app.request('/get', { headers: { cookie } })
    assert.equal(response.status, 503)
    assert.equal(response.headers.get('set-cookie'), null)
    assert.match(((await response.json()) as { detail: string }).detail, /session store is unavailable/)
    assert.match(logged().join('\n'), /session store failed on get: ECONNREFUSED/)
  })

  it('answers 503, without a cookie, when the store is too slow to write the session back', async (t) => {
    const logged = captureConsoleErrors(t)
    const app = appOn({ get: never, set: never, destroy: never })
    const response = await app.request('/set')
    assert.equal(response.status, 503)
    assert.equal(response.headers.get('set-cookie'), null)
    assert.match(logged().join('\n'), /session store did not answer set within 50 ms/)
  })

  it('leaves other errors to Hono (500)', async (t) => {
    const logged = captureConsoleErrors(t)
    const response = await appOn(memoryStore()).request('/boom')
    assert.equal(response.status, 500)
    assert.deepEqual(logged(), ['Error: not a store problem'])
  })
})
