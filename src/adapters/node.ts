import type { IncomingMessage, ServerResponse } from 'node:http'
import { toEngine } from '../cookie-engine.ts'
import { type CsrfOptions, checkCsrf, isSafeMethod, resolveCsrfOptions } from '../csrf.ts'
import type { Engine } from '../engine.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'
import { failureFor, JSON_CONTENT_TYPE } from './commit.ts'
import { nodeCsrfRequest } from './csrf-request.ts'
import { commitBeforeHeaders } from './node-response.ts'
import { nodeContext } from './request-context.ts'

/** Gives the session of a request; its cookie is written when the response headers go out. */
export type NodeSessions<Data extends SessionData> = (
  req: IncomingMessage,
  res: ServerResponse,
) => Session<Data>

/** A `node:http` request handler that also receives the request's session. */
export type SessionHandler<Data extends SessionData> = (
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<Data>,
) => void | Promise<void>

/**
 * Sessions for plain `node:http` servers. The session is committed just before the headers are
 * written (explicit `writeHead`, `flushHeaders`, or the implicit one of the first `write`/`end`), so
 * handlers only have to change the session before they start the response. With a store engine,
 * `await session.load()` first; the response waits for the store's commit by itself. A failed commit
 * answers 503 by itself, but the handler is yours: catch a `StoreUnavailable` thrown by `load()` and
 * answer 503 (or use {@link withSession}, which does).
 *
 * @example
 * const session = nodeSessions({ secretKey: process.env.SECRET_KEY! })
 * createServer((req, res) => {
 *   session(req, res).set('visits', 1)
 *   res.end('ok')
 * })
 */
export function nodeSessions<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
): NodeSessions<Data> {
  const engine = toEngine(options)
  const opened = new WeakMap<IncomingMessage, Session<Data>>()
  return function session(req, res) {
    const existing = opened.get(req)
    if (existing !== undefined) return existing
    const request = engine.open(req.headers.cookie, nodeContext(engine.options, req))
    const session = request.session
    opened.set(req, session)
    if (res.headersSent) {
      // Too late for a cookie: committing now makes any write report itself instead of vanishing.
      const committed = request.commit()
      if (committed instanceof Promise) {
        committed.catch((error: unknown) =>
          engine.options.logger.error(`committing the session failed: ${String(error)}`),
        )
      }
      return session
    }
    commitBeforeHeaders(request, res, engine.options.logger)
    return session
  }
}

/**
 * Wraps a `node:http` handler: it gets the request's session as a third argument (with a store
 * engine, `await session.load()` before using it). A handler that throws or rejects gets a 500 JSON
 * answer and leaves the cookie as it was; a store that is down or slow (`StoreUnavailable`, on load
 * or commit) gets a 503 JSON answer.
 *
 * @example
 * createServer(withSession({ secretKey: process.env.SECRET_KEY! }, (req, res, session) => {
 *   session.set('visits', (session.get('visits') ?? 0) + 1)
 *   res.end('ok')
 * }))
 */
export function withSession<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
  handler: SessionHandler<Data>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const engine = toEngine(options)
  return async function handleWithSession(req, res) {
    const opened = engine.open(req.headers.cookie, nodeContext(engine.options, req))
    const logger = engine.options.logger
    commitBeforeHeaders(opened, res, logger)
    try {
      await handler(req, res, opened.session)
    } catch (error) {
      // A store that fails while the handler loads the session gets the same 503 as a failed commit.
      const failure = failureFor(error, logger)
      if (failure === undefined)
        logger.error(
          `the request handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        )
      if (res.headersSent) {
        res.destroy()
        return
      }
      // A 5xx status does not commit, so the client keeps its previous cookie.
      res.statusCode = failure?.status ?? 500
      res.setHeader('content-type', JSON_CONTENT_TYPE)
      res.end(failure?.body ?? JSON.stringify({ detail: 'Internal Server Error' }))
    }
  }
}

/**
 * Answers 401 JSON and returns `false` unless the session holds `key`; the `node:http` form of a guard.
 * @example if (!(await requireKey(session, res, 'user'))) return
 */
export async function requireKey<Data extends SessionData>(
  session: Session<Data>,
  res: ServerResponse,
  key: keyof Data & string,
): Promise<boolean> {
  if (!session.isLoaded) await session.load()
  if (session.has(key)) return true
  const answer = unauthorized(key)
  res.statusCode = answer.status
  res.setHeader('content-type', JSON_CONTENT_TYPE)
  res.end(JSON.stringify(answer.body))
  return false
}

/** The `node:http` form of CSRF protection: see {@link csrfProtection}. */
export type CsrfCheck = <Data extends SessionData>(
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<Data>,
  body?: unknown,
) => Promise<boolean>

/**
 * CSRF protection for `node:http`: the returned check answers 403 JSON and returns `false` for an
 * unsafe request (POST, PUT, PATCH, DELETE...) that does not come from this origin or lacks the
 * session's CSRF token (`csrfToken(session)` from 'tessera-session'), else returns `true`. The token
 * is read from the `x-csrf-token` header, or from the `_csrf` field of `body`: Node parses no body, so
 * pass what your handler parsed (the check never reads the stream).
 * @example
 * const csrf = csrfProtection()
 * if (!(await csrf(req, res, session))) return
 */
export function csrfProtection(options: CsrfOptions = {}): CsrfCheck {
  const resolved = resolveCsrfOptions(options)
  return async function checkRequestCsrf(req, res, session, body) {
    if (isSafeMethod(req.method ?? 'GET')) return true
    if (!session.isLoaded) await session.load()
    const refusal = checkCsrf(nodeCsrfRequest(req, resolved, body), session, resolved)
    if (refusal === undefined) return true
    res.statusCode = refusal.status
    res.setHeader('content-type', JSON_CONTENT_TYPE)
    res.end(JSON.stringify(refusal.body))
    return false
  }
}
