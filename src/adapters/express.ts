/**
 * Express adapter (Express 5, and Express 4 as well: it only uses what both share).
 * `req.session` is typed through {@link Register}.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { toEngine } from '../cookie-engine.ts'
import { type CsrfOptions, checkCsrf, isSafeMethod, resolveCsrfOptions } from '../csrf.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import { consoleLogger, type Logger } from '../logger.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import { failureFor, JSON_CONTENT_TYPE } from './commit.ts'
import { nodeCsrfRequest } from './csrf-request.ts'
import { commitBeforeHeaders } from './node-response.ts'
import { nodeContext } from './request-context.ts'

declare global {
  namespace Express {
    interface Request {
      /** The request's session, added by tessera's `sessions()` middleware. */
      session: Session<RegisteredSessionData>
    }
  }
}

/**
 * Express middleware: `req.session` is the request's session. Its cookie is written just before the
 * response headers go out (`res.send`, `res.json`, `res.redirect`, the first `res.write`...), so a
 * handler only has to change the session before it responds. A 5xx response (a handler that threw)
 * leaves the cookie as it was. With a store engine, `await req.session.load()` before using it, and
 * add {@link sessionErrors} after the routes: a store that fails during `load()` throws in the
 * handler, out of this middleware's reach (a failed commit answers 503 by itself).
 *
 * @example
 * const app = express()
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.get('/', (req, res) => { res.json(req.session.get('user') ?? null) })
 */
export function sessions(options: SessionOptions | Engine<RegisteredSessionData>): RequestHandler {
  const engine = toEngine(options)
  return function tesseraSession(req: Request, res: Response, next: NextFunction): void {
    const opened = engine.open(req.headers.cookie, nodeContext(engine.options, req))
    req.session = opened.session
    commitBeforeHeaders(opened, res, engine.options.logger)
    next()
  }
}

/**
 * Error-handling middleware that answers 503 JSON (no `Set-Cookie`) when a handler failed because the
 * session store is down or slow (`StoreUnavailable` from `await req.session.load()`), as a failed
 * commit does; every other error goes on to the next error handler. Add it after the routes, before
 * your own error handlers. Express 5 passes a rejected async handler's error here by itself; with
 * Express 4, catch and call `next(error)`.
 *
 * @example
 * app.get('/', async (req, res) => { res.json((await req.session.load()).get('user') ?? null) })
 * app.use(sessionErrors())
 */
export function sessionErrors(options: { logger?: Logger } = {}): ErrorRequestHandler {
  const logger = options.logger ?? consoleLogger
  return function tesseraSessionErrors(
    error: unknown,
    _req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    const failure = res.headersSent ? undefined : failureFor(error, logger)
    if (failure === undefined) {
      next(error)
      return
    }
    res.status(failure.status).type(JSON_CONTENT_TYPE).send(failure.body)
  }
}

/**
 * Middleware that answers 401 JSON unless the session holds `key`: the Express form of a FastAPI
 * dependency that raises `HTTPException(401)`.
 *
 * @example app.get('/me', requireKey('user'), (req, res) => { res.json(req.session.get('user')) })
 */
export function requireKey(key: keyof RegisteredSessionData & string): RequestHandler {
  return function requireSessionKey(req: Request, res: Response, next: NextFunction): void {
    // Express 4 does not catch rejected promises: every failure goes to next().
    const session = req.session as Session<SessionData> | undefined
    if (session === undefined) {
      next(missingMiddleware())
      return
    }
    session.load().then((loaded) => {
      if (loaded.has(key)) {
        next()
        return
      }
      const answer = unauthorized(key)
      res.status(answer.status).json(answer.body)
    }, next)
  }
}

function missingMiddleware(): SessionMiddlewareMissing {
  return new SessionMiddlewareMissing('add app.use(sessions(...)) before this route')
}

/**
 * Middleware that refuses (403 JSON) an unsafe request (POST, PUT, PATCH, DELETE...) unless it comes
 * from this origin and carries the session's CSRF token (`csrfToken(req.session)` from
 * 'tessera-session'): in the `x-csrf-token` header, or the `_csrf` field of `req.body`. Express does
 * not parse bodies by itself: for HTML forms, put `express.urlencoded()` before it (this middleware
 * never reads the body stream, so nothing is consumed twice). After `sessions()`.
 * @example
 * app.use(sessions({ secretKey }), express.urlencoded(), csrfProtection())
 */
export function csrfProtection(options: CsrfOptions = {}): RequestHandler {
  const resolved = resolveCsrfOptions(options)
  return function tesseraCsrf(req: Request, res: Response, next: NextFunction): void {
    if (isSafeMethod(req.method)) {
      next()
      return
    }
    const session = req.session as Session<SessionData> | undefined
    if (session === undefined) {
      next(missingMiddleware())
      return
    }
    session.load().then((loaded) => {
      const refusal = checkCsrf(nodeCsrfRequest(req, resolved, req.body), loaded, resolved)
      if (refusal === undefined) {
        next()
        return
      }
      res.status(refusal.status).json(refusal.body)
    }, next)
  }
}
