// A/B server for bench/hono-ab/run.sh: "early" is tessera's Hono adapter, "late" the same engine committed after next() with c.header() (the adapter before the fast path).
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createSessionEngine, type Session } from 'tessera-session'
import { sessions } from 'tessera-session/hono'

const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'
const mode = process.argv[2]
const app = new Hono()
if (mode === 'late') {
  const engine = createSessionEngine({ secretKey: SECRET })
  app.use(async (c, next) => {
    const opened = engine.open(c.req.header('cookie'))
    c.set('session' as never, opened.session as never)
    await next()
    if (c.error) return
    const { setCookie, vary } = opened.commit() as { setCookie: string | undefined; vary: boolean }
    if (vary) c.header('Vary', 'Cookie', { append: true })
    if (setCookie !== undefined) c.header('Set-Cookie', setCookie, { append: true })
  })
} else app.use(sessions({ secretKey: SECRET }))
const s = (c: { get(k: never): unknown }) => c.get('session' as never) as Session
app.get('/setup', (c) => {
  s(c).set('user', 'alice')
  return c.text('ok')
})
app.get('/read', (c) => c.text(String(s(c).get('user'))))
app.get('/write', (c) => {
  s(c).set('count', 1)
  return c.text('1')
})
serve({ fetch: app.fetch, port: 3999, hostname: '127.0.0.1' })
