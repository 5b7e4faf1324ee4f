import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { captureConsoleErrors } from '../../test/support/console.ts'
import { getSession, type SessionEnv, sessions } from './hono.ts'

const secretKey = 'hono-adapter-secret-hono-adapter-secret'

function app() {
  const app = new Hono<SessionEnv<{ n?: number }>>()
  app.use(sessions({ secretKey }))
  app.get('/inc', (c) => {
    const n = (c.var.session.get('n') ?? 0) + 1
    c.var.session.set('n', n)
    return c.json(n)
  })
  app.get('/throw', (c) => {
    c.var.session.set('n', 100)
    throw new Error('handler failed')
  })
  app.get('/forbidden', (c) => {
    c.var.session.set('n', 7)
    throw new HTTPException(403, { message: 'no' })
  })
  app.get('/untouched', (c) => c.text('x'))
  return app
}

describe('Hono sessions', () => {
  it('keeps state across requests and appends Vary and Set-Cookie', async () => {
    const a = app()
    const first = await a.request('/inc')
    const cookie = (first.headers.get('set-cookie') as string).split(';')[0] as string
    assert.equal(first.headers.get('vary'), 'Cookie')
    const second = await a.request('/inc', { headers: { cookie } })
    assert.equal(await second.json(), 2)
  })

  it('writes no cookie when the handler throws', async (t) => {
    const logged = captureConsoleErrors(t)
    const response = await app().request('/throw')
    assert.equal(response.status, 500)
    assert.equal(response.headers.get('set-cookie'), null)
    assert.deepEqual(logged(), ['Error: handler failed'], "Hono's default error handler reports it")
  })

  it('commits on a 4xx HTTPException as any 4xx, and varies on the cookie on a 5xx that read it', async (t) => {
    const logged = captureConsoleErrors(t)
    const forbidden = await app().request('/forbidden')
    assert.equal(forbidden.status, 403)
    assert.equal(forbidden.headers.get('vary'), 'Cookie')
    assert.match(forbidden.headers.get('set-cookie') ?? '', /^session=/)
    assert.equal(forbidden.headers.get('cache-control'), 'private, no-store')
    const failed = await app().request('/throw')
    assert.equal(failed.headers.get('vary'), 'Cookie')
    assert.deepEqual(logged(), ['Error: handler failed'])
  })

  it('does not touch responses of routes that ignore the session', async () => {
    const response = await app().request('/untouched', { headers: { cookie: 'session=garbage' } })
    assert.equal(response.headers.get('set-cookie'), null)
    assert.equal(response.headers.get('vary'), null)
  })

  it('getSession throws a clear error without the middleware, as Starlette does', async () => {
    const bare = new Hono()
    bare.get('/', (c) => c.text(String(getSession(c).get('x'))))
    bare.onError((error, c) => c.text(error.message, 500))
    assert.match(await (await bare.request('/')).text(), /add app.use\(sessions\(\.\.\.\)\)/)
  })
})
