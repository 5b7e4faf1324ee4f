/**
 * Sessions for any fetch-style handler, `(Request) => Response`: Next.js route handlers, Bun.serve,
 * Deno.serve, Cloudflare Workers, and anything else built on Web standard Request/Response.
 * Imports no framework.
 */
import { type CommitResult, type Engine, toEngine } from '../engine.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'
import { commitFailure, JSON_CONTENT_TYPE, shouldCommit, varyWithCookie } from './commit.ts'

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
 * (a later change is reported with `console.error`, it cannot reach the client).
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
  return async function handleWithSession(request, ...rest) {
    const session = engine.open(request.headers.get('cookie'))
    let response: Response
    try {
      response = await handler(request, session, ...rest)
    } catch (error) {
      // A store that fails while the handler loads the session: the same answer as a failed commit.
      return failureResponse(error)
    }
    if (!shouldCommit(response.status)) return response
    let result: CommitResult
    try {
      const committed = engine.commit(session)
      result = committed instanceof Promise ? await committed : committed
    } catch (error) {
      return failureResponse(error)
    }
    return withSessionHeaders(response, result)
  }
}

/** The answer to a store or cookie failure (see `commitFailure`); anything else is rethrown. */
function failureResponse(error: unknown): Response {
  const failure = commitFailure(error)
  if (failure === undefined) throw error
  return new Response(failure.body, {
    status: failure.status,
    headers: { 'content-type': JSON_CONTENT_TYPE },
  })
}

/**
 * The response with the session's `Set-Cookie` and `Vary` appended. Responses whose headers are
 * immutable (`Response.redirect`, a `fetch` result) are copied first.
 */
export function withSessionHeaders(response: Response, { setCookie, vary }: CommitResult): Response {
  if (!vary && setCookie === undefined) return response
  let target = response
  try {
    apply(target.headers, setCookie, vary)
  } catch {
    target = new Response(response.body, response)
    apply(target.headers, setCookie, vary)
  }
  return target
}

function apply(headers: Headers, setCookie: string | undefined, vary: boolean): void {
  if (vary) headers.set('vary', varyWithCookie(headers.get('vary') ?? undefined))
  if (setCookie !== undefined) headers.append('set-cookie', setCookie)
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
