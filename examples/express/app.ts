/**
 * tessera on Express (5, or 4). Run: npx tsx --conditions=tessera-session-source examples/express/app.ts
 * Then: curl -c jar -b jar '127.0.0.1:8000/login?user=ada' ; curl -b jar 127.0.0.1:8000/me
 */
import express from 'express'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, sessionErrors, sessions } from 'tessera-session/express'
import { address, exampleOptions, isMain } from '../shared/session.ts'

export function createApp(options: SessionOptions) {
  const app = express()
  app.use(sessions(options))

  app.get('/login', async (req, res) => {
    await login(req.session, { user: String(req.query.user ?? 'anonymous') })
    res.json({ ok: true })
  })
  app.get('/logout', async (req, res) => {
    await logout(req.session)
    res.json({ ok: true })
  })
  // Depends(require_user): a 401 before the handler when nobody is signed in.
  app.get('/me', requireKey('user'), (req, res) => {
    res.json({ user: req.session.get('user') }) // typed: string | undefined
  })
  app.get('/visits', (req, res) => {
    const visits = (req.session.get('visits') ?? 0) + 1
    req.session.set('visits', visits)
    res.json({ visits })
  })
  app.use(sessionErrors()) // after the routes: a session store that is down answers 503
  return app
}

if (isMain(import.meta.url)) {
  createApp(exampleOptions()).listen(address.port, address.host, () =>
    console.log(`express example on http://${address.host}:${address.port}`),
  )
}
