/**
 * What every adapter decides the same way, with no framework in sight: whether a response may write
 * the session, and which answer replaces it when the session cannot be written.
 */
import { CookieTooLarge, StoreUnavailable } from '../errors.ts'

/** The answer an adapter sends instead of the handler's when the session could not be committed. */
export interface CommitFailure {
  status: number
  /** JSON text, sent with `Content-Type: application/json`. */
  body: string
}

const STORE_UNAVAILABLE_BODY = JSON.stringify({
  detail: 'The session store is unavailable; please try again shortly.',
})
const TOO_LARGE_BODY = JSON.stringify({ detail: 'The session is too large to be stored in a cookie.' })

/** Content type of {@link CommitFailure} and guard answers. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * The answer for an error thrown by `engine.commit`, or `undefined` when the error is not one the
 * adapter should answer for (a programming error: let the framework report it).
 * `StoreUnavailable` -> 503, `CookieTooLarge` -> 500; in both cases no `Set-Cookie` is sent, so the
 * client keeps its previous, still valid cookie.
 */
export function commitFailure(error: unknown): CommitFailure | undefined {
  if (error instanceof StoreUnavailable) {
    console.error(`tessera: ${error.message}`)
    return { status: 503, body: STORE_UNAVAILABLE_BODY }
  }
  if (error instanceof CookieTooLarge) {
    console.error(`tessera: ${error.message}`)
    return { status: 500, body: TOO_LARGE_BODY }
  }
  return undefined
}

/**
 * A failed response (5xx: the handler threw, or answered with a server error) leaves the session as
 * it was: its changes may be half-made, so none of them is written, as Starlette does when the app raises.
 */
export function shouldCommit(status: number): boolean {
  return status < 500
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
