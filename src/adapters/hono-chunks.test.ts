/**
 * The Hono adapter with a session split over several cookies: the early headers carry every chunk,
 * and when the session changes after the response was built, the slow path swaps the whole set.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Hono } from 'hono'
import { cached, sealed } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'

type Data = { user?: string; blob?: string }

const app = new Hono<SessionEnv<Data>>()
app.use(
  sessions<Data>({
    secretKey: 'hono-chunks-secret-0123456789abcdefghijklmn',
    format: cached(sealed({ chunks: { max: 3 } })),
    now: () => Date.UTC(2026, 0, 1),
  }),
)
app.get('/big', (c) => {
  c.var.session.set('blob', 'x'.repeat(5000))
  return c.text('big')
})
app.get('/grow-after-build', (c) => {
  c.var.session.set('user', 'ada')
  const res = c.text('built with one cookie')
  c.var.session.set('blob', 'x'.repeat(5000))
  return res
})
app.get('/shrink-after-build', (c) => {
  c.var.session.set('blob', 'x'.repeat(5000))
  const res = c.text('built with two chunks')
  c.var.session.delete('blob')
  c.var.session.set('user', 'ada')
  return res
})

const names = (res: Response) => res.headers.getSetCookie().map((c) => c.slice(0, c.indexOf('=')))

describe('hono, chunked sealed sessions', () => {
  test('the early headers carry every chunk', async () => {
    const res = await app.request('/big')
    assert.deepEqual(names(res), ['session.0', 'session.1'])
    assert.equal(res.headers.get('cache-control'), 'private, no-store')
  })

  test('a session that grew after the response was built gets its chunks instead of the early cookie', async () => {
    assert.deepEqual(names(await app.request('/grow-after-build')), ['session.0', 'session.1'])
  })

  test('a session that shrank after the response was built gets one cookie instead of the early chunks', async () => {
    assert.deepEqual(names(await app.request('/shrink-after-build')), ['session'])
  })
})
