/**
 * Sessions for any fetch-style handler, `(Request) => Response`: Next.js route handlers, Bun.serve,
 * Deno.serve, Cloudflare Workers, and anything else built on Web standard Request/Response.
 * Imports no framework.
 */

import { toEngine } from '../cookie-engine.ts'
import {
  CSRF_HEADER,
  type CsrfOptions,
  checkCsrf,
  isFormContentType,
  isSafeMethod,
  resolveCsrfOptions,
} from '../csrf.ts'
import type { CommitResult, Engine, OpenedSession } from '../engine.ts'
import { unauthorized } from '../guards.ts'
import type { Logger } from '../logger.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'
import { applyCommit, CommitFailure, commitFor, failureFor } from './commit.ts'
import { fetchCsrfRequest } from './csrf-request.ts'
import { fetchContext } from './request-context.ts'

/** A fetch handler that also receives the request's session; `rest` is whatever the runtime passes on. */
export type SessionFetchHandler<Data extends SessionData, Rest extends unknown[]> = (
  request: Request,
  session: Session<Data>,
  ...rest: Rest
) => Response | Promise<Response>

/**
 * Wraps a fetch handler: it gets the request's session as its second argument, and the returned
 * response carries the session's cookie. Extra arguments (Workers' `env, ctx`, Bun's `server`, a
 * Next.js route's `context`) are passed through. A handler that throws, or answers 5xx, leaves the
 * cookie as it was. With a store engine, `await session.load()` before using the session; a store
 * that is down or slow (`StoreUnavailable`, on load or commit) gives a 503 JSON answer.
 *
 * A streamed body is produced after the headers: change the session before returning the response
 * (a later change is reported through the `logger` option, it cannot reach the client).
 *
 * @example
 * export default {
 *   fetch: withSession({ secretKey: env.SECRET_KEY }, (request, session) => {
 *     session.set('visits', (session.get('visits') ?? 0) + 1)
 *     return Response.json({ visits: session.get('visits') })
 *   }),
 * }
 */
export function withSession<Data extends SessionData = SessionData, Rest extends unknown[] = []>(
  options: SessionOptions | Engine<Data>,
  handler: SessionFetchHandler<Data, Rest>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  const engine = toEngine(options)
  const logger = engine.options.logger
  return function handleWithSession(request, ...rest) {
    const opened = engine.open(request.headers.get('cookie'), fetchContext(engine.options, request))
    return respondWithSession(opened, logger, (session) => handler(request, session, ...rest))
  }
}

/**
 * The commit protocol around one fetch-style answer: `respond` gets the opened session, and its
 * response comes back carrying the session's headers, or is replaced by the failure answer. For
 * adapters that open the session from something other than the `Cookie` header (Next.js' parsed cookies).
 */
export async function respondWithSession<Data extends SessionData>(
  opened: OpenedSession<Data>,
  logger: Logger,
  respond: (session: Session<Data>) => Response | Promise<Response>,
): Promise<Response> {
  let response: Response
  try {
    response = await respond(opened.session)
  } catch (error) {
    // A store that fails while the handler loads the session: the same answer as a failed commit.
    return failureResponse(error, logger)
  }
  const outcome = await commitFor(opened, response.status, logger)
  if (outcome instanceof CommitFailure) return outcome.toResponse()
  return outcome === undefined ? response : withSessionHeaders(response, outcome)
}

/** The answer to a store or cookie failure (see `failureFor`); anything else is rethrown. */
function failureResponse(error: unknown, logger: Logger): Response {
  const failure = failureFor(error, logger)
  if (failure === undefined) throw error
  return failure.toResponse()
}

/**
 * The response with the session's `Set-Cookie` and `Vary` appended. Responses whose headers are
 * immutable (`Response.redirect`, a `fetch` result) are copied first.
 */
export function withSessionHeaders(response: Response, result: CommitResult): Response {
  if (!result.vary && result.setCookie === undefined) return response
  try {
    applyCommit(response.headers, result)
    return response
  } catch {
    const copy = new Response(response.body, response)
    applyCommit(copy.headers, result)
    return copy
  }
}

/**
 * A 401 JSON response unless the session holds `key`, else `undefined`: the fetch form of a guard.
 * @example
 * const denied = await requireKey(session, 'user')
 * if (denied) return denied
 */
export async function requireKey<Data extends SessionData>(
  session: Session<Data>,
  key: keyof Data & string,
): Promise<Response | undefined> {
  if (!session.isLoaded) await session.load()
  if (session.has(key)) return undefined
  const answer = unauthorized(key)
  return Response.json(answer.body, { status: answer.status })
}

/** The fetch form of CSRF protection: see {@link csrfProtection}. */
export type FetchCsrfCheck = <Data extends SessionData>(
  request: Request,
  session: Session<Data>,
) => Promise<Response | undefined>

/**
 * CSRF protection for fetch handlers: the returned check gives a 403 JSON response for an unsafe
 * request (POST, PUT, PATCH, DELETE...) that does not come from this origin or lacks the session's
 * CSRF token (`csrfToken(session)` from 'tessera-session'), else `undefined`. The token is read from
 * the `x-csrf-token` header, or from the `_csrf` field of a form body, parsed from a clone of the
 * request (`request.clone().formData()`), so the handler can still read the body.
 * @example
 * const csrf = csrfProtection()
 * const refused = await csrf(request, session)
 * if (refused) return refused
 */
export function csrfProtection(options: CsrfOptions = {}): FetchCsrfCheck {
  const resolved = resolveCsrfOptions(options)
  return async function checkRequestCsrf(request, session) {
    if (isSafeMethod(request.method)) return undefined
    if (!session.isLoaded) await session.load()
    const form =
      request.headers.get(CSRF_HEADER) === null && isFormContentType(request.headers.get('content-type'))
        ? await request
            .clone()
            .formData()
            .catch(() => undefined)
        : undefined
    const refusal = checkCsrf(fetchCsrfRequest(request, resolved, form), session, resolved)
    return refusal === undefined ? undefined : Response.json(refusal.body, { status: refusal.status })
  }
}
