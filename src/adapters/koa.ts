/** Koa adapter (Koa 3): `ctx.session`, typed through {@link Register}. */
import type { Middleware } from 'koa'
import { toEngine } from '../cookie-engine.ts'
import { type CsrfOptions, checkCsrf, isSafeMethod, resolveCsrfOptions } from '../csrf.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import { failureFor, JSON_CONTENT_TYPE } from './commit.ts'
import { nodeCsrfRequest } from './csrf-request.ts'
import { commitBeforeHeaders } from './node-response.ts'
import { nodeContext } from './request-context.ts'

declare module 'koa' {
  interface ExtendableContext {
    /** The request's session, added by tessera's `sessions()` middleware. */
    session: Session<RegisteredSessionData>
  }
}

/**
 * Koa middleware: `ctx.session` is the request's session. Its cookie is written just before the
 * response headers go out, after every middleware has run (or at `ctx.flushHeaders()` / the first
 * chunk of a streamed body). An error thrown downstream (a 5xx) leaves the cookie as it was.
 * With a store engine, `await ctx.session.load()` before using it; a store that is down or slow
 * (`StoreUnavailable`, on load or commit) gives a 503 JSON answer.
 *
 * @example
 * const app = new Koa()
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.use((ctx) => { ctx.body = ctx.session.get('user') ?? null })
 */
export function sessions(options: SessionOptions | Engine<RegisteredSessionData>): Middleware {
  const engine = toEngine(options)
  return async function tesseraSession(ctx, next) {
    const opened = engine.open(ctx.req.headers.cookie, nodeContext(engine.options, ctx.req))
    ctx.session = opened.session
    // Committed on the raw response: Koa writes it after the middleware chain, so this also sees
    // headers flushed early and streamed bodies.
    commitBeforeHeaders(opened, ctx.res, engine.options.logger)
    try {
      await next()
    } catch (error) {
      // A store that fails while a later middleware loads the session: the same answer as a failed commit.
      const failure = ctx.headerSent ? undefined : failureFor(error, engine.options.logger)
      if (failure === undefined) throw error
      ctx.status = failure.status
      ctx.body = failure.body
      ctx.set('content-type', JSON_CONTENT_TYPE)
    }
  }
}

/**
 * Middleware that answers 401 JSON unless the session holds `key`.
 * @example router.get('/me', requireKey('user'), (ctx) => { ctx.body = ctx.session.get('user') })
 */
export function requireKey(key: keyof RegisteredSessionData & string): Middleware {
  return async function requireSessionKey(ctx, next) {
    const session = ctx.session as Session<SessionData> | undefined
    if (session === undefined)
      throw new SessionMiddlewareMissing('add app.use(sessions(...)) before this middleware')
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return next()
    const answer = unauthorized(key)
    ctx.status = answer.status
    ctx.body = answer.body
  }
}

/**
 * Middleware that refuses (403 JSON) an unsafe request (POST, PUT, PATCH, DELETE...) unless it comes
 * from this origin and carries the session's CSRF token (`csrfToken(ctx.session)` from
 * 'tessera-session'): in the `x-csrf-token` header, or the `_csrf` field of `ctx.request.body`, which
 * a body parser (@koa/bodyparser) sets when it runs first. Koa parses no body by itself and this
 * middleware never reads the stream. After `sessions()`.
 * @example app.use(sessions({ secretKey })); app.use(bodyParser()); app.use(csrfProtection())
 */
export function csrfProtection(options: CsrfOptions = {}): Middleware {
  const resolved = resolveCsrfOptions(options)
  return async function tesseraCsrf(ctx, next) {
    if (isSafeMethod(ctx.method)) return next()
    const session = ctx.session as Session<SessionData> | undefined
    if (session === undefined)
      throw new SessionMiddlewareMissing('add app.use(sessions(...)) before this middleware')
    if (!session.isLoaded) await session.load()
    const body = (ctx.request as { body?: unknown }).body
    const refusal = checkCsrf(nodeCsrfRequest(ctx.req, resolved, body), session, resolved)
    if (refusal === undefined) return next()
    ctx.status = refusal.status
    ctx.body = refusal.body
  }
}
