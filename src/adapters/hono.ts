import type { Context, MiddlewareHandler } from 'hono'
import { type Engine, toEngine } from '../engine.ts'
import { StoreUnavailable } from '../errors.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'

/** Hono environment the middleware adds: `c.get('session')` / `c.var.session`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> }
}

/**
 * Hono middleware: `c.var.session` is the request's session, committed after the handler.
 * A handler that throws leaves the cookie as it was (no half-written session). A session store that
 * is down or slower than its timeout (`StoreUnavailable`) gives a 503.
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
    if (c.error) {
      if (c.error instanceof StoreUnavailable) c.res = storeUnavailable(c.error)
      return
    }
    let result: Awaited<ReturnType<typeof engine.commit>>
    try {
      const pending = engine.commit(session)
      result = pending instanceof Promise ? await pending : pending
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error
      c.res = storeUnavailable(error)
      return
    }
    const { setCookie, vary } = result
    if (vary) c.header('Vary', 'Cookie', { append: true })
    if (setCookie !== undefined) c.header('Set-Cookie', setCookie, { append: true })
  }
}

/**
 * 503 for a session store that is down or slow: the client may retry, and nothing about the store
 * leaks into the response; the details go to the server log.
 */
function storeUnavailable(error: StoreUnavailable): Response {
  console.error(`tessera: ${error.message}`)
  return new Response('Service Unavailable: the session store is not answering; try again shortly.\n', {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' },
  })
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
