/**
 * The lifetime rules of a stored session, as named predicates. Times are milliseconds since the epoch.
 */
import type { StoreSettings } from './options.ts'
import type { SessionRecord } from './store.ts'

/** A record for a session created (or regenerated) at `now`. */
export function newRecord(data: string, userId: string | null, now: number, s: StoreSettings): SessionRecord {
  const absoluteExpiresAt = now + s.absoluteTimeout * 1000
  return {
    data,
    version: 1,
    userId,
    createdAt: now,
    expiresAt: idleExpiry(now, absoluteExpiresAt, s),
    absoluteExpiresAt,
  }
}

/** The idle expiry of a session used at `now`: `idleTimeout` later, but never past the absolute one. */
export function idleExpiry(now: number, absoluteExpiresAt: number, s: StoreSettings): number {
  return Math.min(now + s.idleTimeout * 1000, absoluteExpiresAt)
}

/** The session is over: idle for too long, or past its absolute lifetime. */
export function isExpired(record: SessionRecord, now: number): boolean {
  return record.expiresAt <= now || record.absoluteExpiresAt <= now
}

/**
 * An unchanged session's expiry is pushed back once its last push is at least `touchAfter` old, so
 * an active user costs one store write per `touchAfter` rather than one per request. A session
 * already capped by its absolute timeout has nothing to push.
 */
export function shouldTouch(record: SessionRecord, now: number, s: StoreSettings): boolean {
  const lastPushedAt = record.expiresAt - s.idleTimeout * 1000
  return now - lastPushedAt >= s.touchAfter * 1000 && record.expiresAt < record.absoluteExpiresAt
}

/** Max-Age in seconds of a persistent cookie: until the absolute timeout. */
export function cookieMaxAge(record: SessionRecord, now: number): number {
  return Math.max(0, Math.ceil((record.absoluteExpiresAt - now) / 1000))
}
