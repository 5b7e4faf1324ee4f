/**
 * The seed's FastAPI app, in TypeScript on Hono: the same three endpoints, the same cookie, so the
 * FastAPI app and this one can serve the same users with the same secret.
 */
import { Hono } from 'hono'
import type { SessionOptions } from 'tessera'
import { type SessionEnv, sessions } from 'tessera/hono'
import { createMySession, type DemoSession, deleteMySession, readMySession } from './dependencies.ts'

/** Builds the demo app; `options` are tessera's (at least `secretKey`). */
export function createDemoApp(options: SessionOptions) {
  const app = new Hono<SessionEnv<DemoSession>>()
  app.use(sessions<DemoSession>(options))

  app.get('/create_session', (c) => {
    createMySession(c, '1234')
    return c.json('ok')
  })

  app.get('/read_session', (c) => c.json(readMySession(c)))

  // The seed's FastAPI version answers 500 (KeyError) when there is nothing to delete.
  app.get('/delete_session', (c) => {
    const value = deleteMySession(c)
    if (value === null) return c.json({ detail: 'There is no session value to delete.' }, 404)
    return c.json(value)
  })

  return app
}
