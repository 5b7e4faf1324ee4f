import type { Context, MiddlewareHandler } from 'hono'
import { toEngine } from '../cookie-engine.ts'
import {
  CSRF_HEADER,
  type CsrfOptions,
  checkCsrf,
  isFormContentType,
  isSafeMethod,
  resolveCsrfOptions,
} from '../csrf.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { ResolvedOptions, SessionOptions } from '../options.ts'
import type { RequestContext } from '../proxy.ts'
import type { Session, SessionData } from '../session.ts'
import { fetchCsrfRequest } from './csrf-request.ts'
import { EarlyCommit } from './hono-early-commit.ts'
import { fetchContext } from './request-context.ts'

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
 * Why the headers go on early: with @hono/node-server, a header set after `await next()` makes Hono
 * rebuild the response around its body stream, which costs more than the whole session (measured: a
 * bare app fell from about 75k to 16k requests/s). Headers set before the response is built travel in
 * Hono's prepared headers instead. So the response builders of the context (`c.text`, `c.json`,
 * `c.body`, `c.html`, `c.newResponse`, and what uses them: `c.redirect`, renderers, streaming helpers)
 * first put the session's headers on it, as the engine previews them at that moment. When the handler
 * returns the response so built and the commit gives the same headers (the session has not changed
 * since, and a store accepted the write), nothing is left to do; otherwise (the session changed after
 * the response was built, the handler made its own `Response`, the store said otherwise, or it failed)
 * the response is corrected after `next()` the slow, safe way, with the same outcome as committing
 * after `next()`. Cookie and store engines take the same path.
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
  const logger = engine.options.logger
  return async function tesseraSession(c, next) {
    const opened = engine.open(c.req.header('cookie'), honoContext(engine.options, c))
    c.set('session', opened.session)
    const early = new EarlyCommit(c, opened, logger)
    // Lazily, on first use: a route that never touches the session keeps the context's own builders
    // (untouched route, hot path 68,607 instructions per request, 0.955x an async no-op middleware;
    // bench/results/instructions-ratios.md). See EarlyCommit.hook.
    if (!opened.session.isLoaded && 'onUse' in opened) opened.onUse = (loading) => early.hook(loading)
    else early.hook()
    await next()
    const finishing = early.finish()
    if (finishing !== undefined) await finishing
  }
}

/**
 * The session of a request, for "dependency" functions that take the context.
 * @throws {Error} when the middleware is not installed, as Starlette's `request.session` does.
 */
export function getSession<Data extends SessionData = SessionData>(c: Context): Session<Data> {
  const session = c.get('session') as Session<Data> | undefined
  if (session === undefined)
    throw new SessionMiddlewareMissing('add app.use(sessions(...)) before this route')
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

/**
 * The peer's address where Hono runs on @hono/node-server (`c.env.incoming`); `undefined` elsewhere.
 * The scheme comes from the request URL, which every runtime builds from the connection.
 */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress
}

/** The engine's request context for a Hono request (see `nodeContext`). */
function honoContext(options: ResolvedOptions, c: Context): RequestContext | undefined {
  if (options.httpsOnly !== 'auto') return undefined
  return fetchContext(options, c.req.raw, peerAddress(c))
}

/**
 * Middleware that refuses (403 JSON) an unsafe request (POST, PUT, PATCH, DELETE...) unless it comes
 * from this origin and carries the session's CSRF token (`csrfToken(c.var.session)` from
 * 'tessera-session'): in the `x-csrf-token` header, or the `_csrf` field of a form body, read with
 * `c.req.parseBody()` (Hono keeps the parsed body, so the handler can parse it again). After
 * `sessions()`. See src/csrf.ts for the rules.
 * @example
 * app.use(sessions({ secretKey }))
 * app.use(csrfProtection())
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler<SessionEnv> {
  const resolved = resolveCsrfOptions(options)
  return async function tesseraCsrf(c, next) {
    if (isSafeMethod(c.req.method)) return next()
    const session = getSession(c)
    if (!session.isLoaded) await session.load()
    const form =
      c.req.header(CSRF_HEADER) === undefined && isFormContentType(c.req.header('content-type'))
        ? await c.req.parseBody().catch(() => undefined)
        : undefined
    const refusal = checkCsrf(fetchCsrfRequest(c.req.raw, resolved, form, peerAddress(c)), session, resolved)
    if (refusal === undefined) return next()
    return c.json(refusal.body, refusal.status)
  }
}
