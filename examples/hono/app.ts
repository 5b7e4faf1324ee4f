/**
 * tessera on Hono. Run: npx tsx --conditions=tessera-session-source examples/hono/app.ts
 * Then: curl -c jar -b jar '127.0.0.1:8000/login?user=ada' ; curl -b jar 127.0.0.1:8000/me
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, type SessionEnv, sessions } from 'tessera-session/hono'
import { type AppSession, address, exampleOptions, isMain } from '../shared/session.ts'

export function createApp(options: SessionOptions) {
  const app = new Hono<SessionEnv<AppSession>>()
  app.use(sessions<AppSession>(options))

  app.get('/login', async (c) => {
    await login(c.var.session, { user: c.req.query('user') ?? 'anonymous' })
    return c.json({ ok: true })
  })
  app.get('/logout', async (c) => {
    await logout(c.var.session)
    return c.json({ ok: true })
  })
  // Depends(require_user): a 401 before the handler when nobody is signed in.
  app.get('/me', requireKey<AppSession>('user'), (c) => c.json({ user: c.var.session.get('user') ?? null }))
  app.get('/visits', (c) => {
    const visits = (c.var.session.get('visits') ?? 0) + 1
    c.var.session.set('visits', visits)
    return c.json({ visits })
  })
  return app
}

if (isMain(import.meta.url)) {
  serve({ fetch: createApp(exampleOptions()).fetch, hostname: address.host, port: address.port })
  console.log(`hono example on http://${address.host}:${address.port}`)
}
