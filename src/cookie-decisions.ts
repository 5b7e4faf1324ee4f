import type { ResolvedOptions } from './options.ts'
import { CREATED_KEY, isEmpty, type SessionData } from './session.ts'
import type { SessionSource, SessionState } from './session-state.ts'

/** The session had data when the request came in and has none now: delete the cookie. */
export function shouldClear(state: SessionState): boolean {
  return isEmpty(state.data) && state.source?.issuedAt !== undefined
}

/**
 * A non-empty session gets a new cookie when it changed, when it was verified by an older key
 * (rotation), or when sliding expiry says the cookie is due for a refresh.
 */
export function shouldSetCookie(state: SessionState, options: ResolvedOptions, now: number): boolean {
  if (isEmpty(state.data)) return false
  if (state.changed) return true
  const source = state.source as SessionSource
  return source.keyIndex > 0 || shouldRefresh(source, options, now)
}

/**
 * The cookie is older than `refreshAfter`. Age is measured on the server's clock against the
 * issued-at time the server itself signed, so the client's clock never matters; Max-Age (not
 * Expires) is sent for the same reason.
 */
export function shouldRefresh(source: SessionSource, options: ResolvedOptions, now: number): boolean {
  return (
    options.refreshAfter !== null &&
    source.issuedAt !== undefined &&
    now - source.issuedAt >= options.refreshAfter
  )
}

/** When a session started: its `_tessera.created`, or, for a cookie written before the option (or by Python), its issue time. */
export function createdAt(data: SessionData, issuedAt: number): number {
  const created = data[CREATED_KEY]
  return typeof created === 'number' && Number.isFinite(created) ? Math.min(created, issuedAt) : issuedAt
}

/**
 * When a re-issued cookie says it was issued. A cookie verified by an older key keeps its original
 * time when the newest key re-signs it: rotation must not launder it into a fresh one, or a cookie
 * forged with a weak old key would live on after that key is removed. Any other cookie is issued now.
 */
export function issueTime(source: SessionSource, now: number): number {
  return source.keyIndex > 0 && source.issuedAt !== undefined ? Math.min(source.issuedAt, now) : now
}
