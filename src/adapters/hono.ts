import type { Context, MiddlewareHandler } from 'hono'
import { type CommitResult, type Engine, toEngine } from '../engine.ts'
import { StoreUnavailable } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'
import {
  type CommitFailure,
  commitFailure,
  JSON_CONTENT_TYPE,
  shouldCommit,
  varyWithCookie,
} from './commit.ts'

/** Hono environment the middleware adds: `c.get('session')` / `c.var.session`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> }
}

/**
 * Hono middleware: `c.var.session` is the request's session, committed after the handler.
 * A handler that throws (or answers 5xx) leaves the cookie as it was (no half-written session).
 * A session store that is down or slow (`StoreUnavailable`, on load or commit) gives a 503.
 * With a store engine, `await c.var.session.load()` before using it.
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
    // A store that fails while the handler loads the session gets the same answer as a failed commit.
    if (c.error instanceof StoreUnavailable) {
      c.res = failureResponse(commitFailure(c.error) as CommitFailure)
      return
    }
    if (c.error || !shouldCommit(c.res.status)) return
    let result: CommitResult
    try {
      const committed = engine.commit(session)
      result = committed instanceof Promise ? await committed : committed
    } catch (error) {
      const failure = commitFailure(error)
      if (failure === undefined) throw error
      c.res = failureResponse(failure)
      return
    }
    if (result.vary) c.header('Vary', varyWithCookie(c.res.headers.get('vary') ?? undefined))
    if (result.setCookie !== undefined) c.header('Set-Cookie', result.setCookie, { append: true })
  }
}

function failureResponse(failure: CommitFailure): Response {
  return new Response(failure.body, {
    status: failure.status,
    headers: { 'content-type': JSON_CONTENT_TYPE },
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

/**
 * Middleware that answers 401 JSON unless the session holds `key`.
 * @example app.get('/me', requireKey('user'), (c) => c.json(c.var.session.get('user')))
 */
export function requireKey<Data extends SessionData = SessionData>(
  key: keyof Data & string,
): MiddlewareHandler<SessionEnv<Data>> {
  return async function requireSessionKey(c, next) {
    const session = getSession<SessionData>(c)
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return next()
    const answer = unauthorized(key)
    return c.json(answer.body, answer.status)
  }
}
