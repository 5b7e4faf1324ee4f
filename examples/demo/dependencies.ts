/**
 * The seed's last paragraph: session logic as plain functions that endpoints depend on, the way
 * FastAPI endpoints take `Depends(...)`. Each takes the request context and does one thing.
 */
import type { Context } from 'hono'
import { getSession } from 'tessera-session/hono'
import type { DemoSession } from './state.ts'

export type { DemoSession }

/** `Depends(session)`: the request's session, typed. */
export function session(c: Context) {
  return getSession<DemoSession>(c)
}

/** The seed's value, or `null` when there is none. */
export function readMySession(c: Context): string | null {
  return session(c).get('my_session') ?? null
}

/** Stores the seed's value. */
export function createMySession(c: Context, value: string): void {
  session(c).set('my_session', value)
}

/** Removes the seed's value and returns it, or `null` when there was nothing to remove. */
export function deleteMySession(c: Context): string | null {
  return session(c).pop('my_session', null)
}
