/**
 * The seed's FastAPI app, in TypeScript on Hono: the same three JSON endpoints, the same cookie, so the
 * FastAPI app and this one can serve the same users with the same secret. Beside them, pages that show
 * what sessions are for: a remembered draft, preferences, recommendations, sign-in with "remember me",
 * and an inspector of the cookie itself.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { createSessionEngine, type Engine, type SessionOptions } from 'tessera-session'
import { sessions } from 'tessera-session/hono'
import { createMySession, deleteMySession, readMySession } from './dependencies.ts'
import { pageOf, sendPage } from './page.ts'
import { accountRoutes } from './routes/account.ts'
import { catalogueRoutes } from './routes/catalogue.ts'
import { draftRoutes } from './routes/draft.ts'
import type { DemoEnv } from './routes/env.ts'
import { inspectorRoutes } from './routes/inspector.ts'
import { preferencesRoutes } from './routes/preferences.ts'
import { staticRoutes } from './routes/static.ts'
import type { DemoSession } from './state.ts'
import { homeView } from './views/home.ts'
import { messageView } from './views/message.ts'

/** Largest form body accepted: the biggest draft is a few KB. */
const MAX_BODY_BYTES = 16 * 1024

/** The security headers of every answer (the bench compares the demo with bare Hono plus these). */
export const SECURE_HEADERS = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
} satisfies Parameters<typeof secureHeaders>[0]

/**
 * Builds the demo app; `options` are tessera's (at least `secretKey`), or an engine: a store engine
 * keeps the sessions server-side (the soak runs the demo on the memory and SQLite stores).
 */
export function createDemoApp(options: SessionOptions | Engine<DemoSession>) {
  const engine = 'open' in options ? options : createSessionEngine<DemoSession>(options)
  const app = new Hono<DemoEnv>()
  app.use(secureHeaders(SECURE_HEADERS))
  app.use(sessions<DemoSession>(engine))
  // The routes read the session synchronously: a store-backed one is loaded first (one store read).
  if (!('format' in engine)) {
    app.use(async (c, next) => {
      await c.var.session.load()
      await next()
    })
  }
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.text('Request body too large', 413),
  })
  // Only where a body is read: asking a GET for its body makes @hono/node-server build a whole Web
  // Request (about a third of /read_session's CPU, bench/results/profiles.md); no GET route reads one.
  app.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)))

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

  app.get('/', (c) => {
    const page = pageOf(c)
    // Sign-out empties the session, so its message comes in the address instead of a flash.
    if (c.req.query('signed-out') !== undefined && page.flash === undefined) page.flash = 'signedOut'
    return sendPage(c, page, page.t.homeTitle, homeView(page))
  })
  app.route('/', staticRoutes)
  app.route('/', draftRoutes)
  app.route('/', preferencesRoutes)
  app.route('/', catalogueRoutes)
  app.route('/', accountRoutes)
  app.route('/', inspectorRoutes(engine))

  app.notFound((c) => {
    const page = pageOf(c)
    return sendPage(c, page, page.t.notFoundTitle, messageView(page, page.t.notFoundText), 404)
  })
  app.onError((error, c) => {
    const page = pageOf(c)
    if (error instanceof HTTPException && error.status === 403) {
      return sendPage(c, page, page.t.forbiddenTitle, messageView(page, page.t.forbiddenText), 403)
    }
    if (error instanceof HTTPException) return error.getResponse()
    console.error('tessera demo:', error)
    return sendPage(c, page, page.t.errorTitle, messageView(page, page.t.errorText), 500)
  })

  return app
}
