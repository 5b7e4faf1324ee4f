import type { Context, MiddlewareHandler } from 'hono'
import { type Engine, toEngine } from '../engine.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'

/** Hono environment the middleware adds: `c.get('session')` / `c.var.session`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> }
}

/**
 * Hono middleware: `c.var.session` is the request's session, committed after the handler.
 * A handler that throws leaves the cookie as it was (no half-written session).
 *
 * @example
 * const app = new Hono<SessionEnv<{ user: string }>>()
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.get('/', (c) => c.text(c.var.session.get('user') ?? 'anonymous'))
 */
export function sessions<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  const engine = toEngine(options)
  return async function tesseraSession(c, next) {
    const session = engine.open(c.req.header('cookie'))
    c.set('session', session)
    await next()
    if (c.error) return
    const result = engine.commit(session)
    const { setCookie, vary } = result instanceof Promise ? await result : result
    if (vary) c.header('Vary', 'Cookie', { append: true })
    if (setCookie !== undefined) c.header('Set-Cookie', setCookie, { append: true })
  }
}

/**
 * The session of a request, for "dependency" functions that take the context.
 * @throws {Error} when the middleware is not installed, as Starlette's `request.session` does.
 */
export function getSession<Data extends SessionData = SessionData>(c: Context): Session<Data> {
  const session = c.get('session') as Session<Data> | undefined
  if (session === undefined)
    throw new Error('tessera: no session on this request; add app.use(sessions(...)) before this route')
  return session
}
