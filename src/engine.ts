import type { ResolvedOptions } from './options.ts'
import type { RequestContext } from './proxy.ts'
import type { Session, SessionData } from './session.ts'
import type { CommitResult } from './session-state.ts'

export type { CommitResult }

/**
 * One request's session as an engine hands it to an adapter: the {@link Session} for handlers, and
 * the commit. Every engine gives the same, so an adapter never asks which engine it has.
 */
export interface OpenedSession<Data extends SessionData = SessionData> {
  readonly session: Session<Data>
  /**
   * The headers a commit now would give, without committing: for adapters that must put headers on
   * the response before the handler has finished. A later {@link commit} of an unchanged session
   * returns the very same object, so `commit() === preview()` tells that the early headers hold.
   * @throws {CookieTooLarge} as {@link commit} does.
   */
  preview(): CommitResult
  /**
   * The headers the response needs; call once, before the response headers are sent. Synchronous
   * for cookie sessions, a Promise when a store has to be written.
   * @throws {CookieTooLarge} when the session no longer fits in a cookie (nothing is sent, the
   * client keeps its previous cookie); a store engine rejects with `StoreUnavailable` when the store fails.
   */
  commit(): CommitResult | Promise<CommitResult>
  /**
   * Called once, when a handler first uses or loads the session, before anything is read; never for
   * a request that leaves its session alone. Adapters set it to hook the response only when a commit
   * can have something to send (an unused session commits nothing).
   */
  onUse?: ((loading: boolean) => void) | undefined
}

/** An {@link OpenedSession} whose commit never waits: the cookie engine's. */
export interface CookieOpenedSession<Data extends SessionData = SessionData> extends OpenedSession<Data> {
  commit(): CommitResult
}

/**
 * What every engine offers adapters, whether the session lives in the cookie or in a store: `open` is
 * cheap and lazy, and what it returns commits itself.
 */
export interface Engine<Data extends SessionData = SessionData> {
  readonly options: ResolvedOptions
  /**
   * A session for a request with this `Cookie` header; nothing is read until it is used. `context`
   * tells what the cookie's attributes may depend on (whether the request came over HTTPS, for
   * `httpsOnly: 'auto'`); adapters pass it, and without it a request counts as plain HTTP.
   */
  open(cookieHeader: string | null | undefined, context?: RequestContext): OpenedSession<Data>
}

/**
 * Whether the cookie of a request in `context` carries Secure: always or never as `httpsOnly` says,
 * or, with `'auto'`, when the request came over HTTPS.
 */
export function shouldBeSecure(options: ResolvedOptions, context: RequestContext | undefined): boolean {
  return options.httpsOnly === 'auto' ? context?.secure === true : options.httpsOnly
}

/** Reports a session change made after its response headers were sent (every engine's late-write hook). */
export function reportLateWrite(options: ResolvedOptions, key: string): void {
  options.logger.error(
    `session "${options.sessionCookie}" was changed (key ${JSON.stringify(key)}) after its response headers were sent; ` +
      'the change is lost. Change the session before sending or streaming the response.',
  )
}
