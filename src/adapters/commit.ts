/**
 * The commit protocol, written once for every adapter: whether a response may write the session,
 * committing it (waiting for a store when there is one), and the answer that replaces the response
 * when the session cannot be saved. An adapter supplies only the moment the headers are about to
 * leave and a way to read and write them. Imports no framework.
 */
import type { OpenedSession } from '../engine.ts'
import { CookieTooLarge, StoreUnavailable } from '../errors.ts'
import { describeError, type Logger } from '../logger.ts'
import type { Session, SessionData } from '../session.ts'
import { type CommitResult, VARY_ONLY } from '../session-state.ts'

/** The answer an adapter sends instead of the handler's when the session could not be saved. */
export class CommitFailure {
  /** Content type of the answer, and of guard answers. */
  static readonly contentType = 'application/json; charset=utf-8'
  constructor(
    readonly status: number,
    /** JSON text, sent with {@link CommitFailure.contentType}. */
    readonly body: string,
  ) {}

  /** The failure as a Web `Response`. */
  toResponse(): Response {
    return new Response(this.body, {
      status: this.status,
      headers: { 'content-type': CommitFailure.contentType },
    })
  }
}

/** Content type of {@link CommitFailure} and guard answers. */
export const JSON_CONTENT_TYPE = CommitFailure.contentType

const STORE_UNAVAILABLE = new CommitFailure(
  503,
  JSON.stringify({ detail: 'The session store is unavailable; please try again shortly.' }),
)
const TOO_LARGE = new CommitFailure(
  500,
  JSON.stringify({ detail: 'The session is too large to be stored in a cookie.' }),
)

/**
 * The answer for an error from the session (a commit, or a store load inside the handler), or
 * `undefined` when the error is not one the adapter answers for (a programming error: the framework
 * reports it). `StoreUnavailable` -> 503, `CookieTooLarge` -> 500; in both cases no `Set-Cookie` is
 * sent, so the client keeps its previous, still valid cookie. Each is logged once, on one line.
 */
export function failureFor(error: unknown, logger: Logger): CommitFailure | undefined {
  if (error instanceof StoreUnavailable) {
    logger.error(describeError(error))
    return STORE_UNAVAILABLE
  }
  if (error instanceof CookieTooLarge) {
    logger.error(error.message)
    return TOO_LARGE
  }
  return undefined
}

/**
 * The error a failed store load left in `session`, for frameworks that answer a handler's error
 * themselves and keep the original out of the adapter's reach (h3, SvelteKit). A load that failed
 * keeps its outcome: asking again rejects at once with the same error, without a second store call.
 * A session never loaded is loaded now (a store read, only on a failed response).
 */
export function loadFailure(session: Session<SessionData>): Promise<unknown> {
  if (session.isLoaded) return Promise.resolve(undefined)
  return session.load().then(
    () => undefined,
    (error: unknown) => error,
  )
}

/**
 * A failed response (5xx: the handler threw, or answered with a server error) leaves the session as
 * it was: its changes may be half-made, so none of them is written, as Starlette does when the app raises.
 */
export function shouldCommit(status: number): boolean {
  return status < 500
}

/**
 * Commits `opened` for a response with `status`: the headers to add, the failure to answer instead,
 * or `undefined` when there is nothing to add. A 5xx response never writes the cookie; it only
 * varies on it when the session was read. Synchronous unless the engine
 * has to wait for a store. An error that is not the session's (a bug) is thrown.
 */
export function commitFor(
  opened: OpenedSession,
  status: number,
  logger: Logger,
): CommitResult | CommitFailure | undefined | Promise<CommitResult | CommitFailure> {
  // A failed response writes nothing, but if the session was read it still depends on the cookie.
  if (!shouldCommit(status)) return opened.session.isLoaded ? VARY_ONLY : undefined
  let committed: CommitResult | Promise<CommitResult>
  try {
    committed = opened.commit()
  } catch (error) {
    return failed(error, logger)
  }
  if (!(committed instanceof Promise)) return committed
  return committed.then(undefined, (error: unknown) => failed(error, logger))
}

/**
 * {@link commitFor}, then `target.settle` on its outcome: a store's commit takes one promise reaction here,
 * where `commitFor(...).then(settle)` takes two (Hono store write 143,175 -> 142,459 instructions per request).
 * Returns the promise of a commit that waits on the store, `undefined` when `settle` already ran.
 */
export function commitThen(
  opened: OpenedSession,
  status: number,
  logger: Logger,
  target: { settle(outcome: CommitResult | CommitFailure | undefined): void },
): Promise<void> | undefined {
  if (!shouldCommit(status)) {
    target.settle(opened.session.isLoaded ? VARY_ONLY : undefined)
    return undefined
  }
  let committed: CommitResult | Promise<CommitResult>
  try {
    committed = opened.commit()
  } catch (error) {
    target.settle(failed(error, logger))
    return undefined
  }
  if (!(committed instanceof Promise)) {
    target.settle(committed)
    return undefined
  }
  return committed.then(
    (result) => target.settle(result),
    (error: unknown) => target.settle(failed(error, logger)),
  )
}

function failed(error: unknown, logger: Logger): CommitFailure {
  const failure = failureFor(error, logger)
  if (failure === undefined) throw error
  return failure
}

/** Response headers as an adapter exposes them: Web `Headers` fit as they are. */
export interface HeaderTarget {
  get(name: string): string | null | undefined
  set(name: string, value: string): void
  append(name: string, value: string): void
}

/**
 * `Cache-Control` of a response that sets the session cookie, unless the app chose its own: a shared
 * cache that ignores `Vary` must never store one visitor's cookie and hand it to the next (the class
 * of Flask's CVE-2023-30861). `private` keeps it out of shared caches, `no-store` out of every cache.
 */
export const NO_STORE = 'private, no-store'

/**
 * Adds a commit's headers, keeping every other cookie and `Vary` value; cookies are written raw,
 * with {@link NO_STORE} unless the response already says how to cache it.
 */
export function applyCommit(headers: HeaderTarget, result: CommitResult): void {
  if (result.vary) headers.set('vary', varyWithCookie(headers.get('vary') ?? undefined))
  if (result.setCookie === undefined) return
  headers.append('set-cookie', result.setCookie)
  const extra = result.extraSetCookies
  if (extra !== undefined) for (const cookie of extra) headers.append('set-cookie', cookie)
  if (!headers.get('cache-control')) headers.set('cache-control', NO_STORE)
}

/** Every `Set-Cookie` value of a commit, in order (a new array: for slow paths that compare or replace them). */
export function setCookiesOf(result: CommitResult | undefined): string[] {
  if (result?.setCookie === undefined) return []
  return result.extraSetCookies === undefined
    ? [result.setCookie]
    : [result.setCookie, ...result.extraSetCookies]
}

/** `Vary` with `Cookie` added to whatever the response already varies on. */
export function varyWithCookie(existing: string | undefined): string {
  if (!existing) return 'Cookie'
  // RFC 9110 section 12.5.5: a list of case-insensitive field names, or "*" (varies on everything).
  for (const name of existing.split(',')) {
    const trimmed = name.trim().toLowerCase()
    if (trimmed === 'cookie' || trimmed === '*') return existing
  }
  return `${existing}, Cookie`
}
