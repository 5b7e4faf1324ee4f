/**
 * Framework-agnostic "dependencies", the building blocks of the per-framework guards: each adapter
 * wraps them in its own middleware shape (Express/Koa middleware, Fastify preHandler, Hono middleware,
 * a fetch handler wrapper). The FastAPI equivalents are `Depends(...)` functions.
 */
import type { Session, SessionData } from './session.ts'

/** A 401 answer: the session lacks what the route needs. */
export interface Unauthorized {
  status: 401
  body: { detail: string }
}

/** The 401 answer for a session without `key`, in FastAPI's `{"detail": ...}` shape. */
export function unauthorized(key: string): Unauthorized {
  return { status: 401, body: { detail: `Not authenticated: the session has no "${key}".` } }
}

/**
 * The value under `key`, or `undefined`; loads a store session first. The dependency form of
 * `session.get`, for code that receives the session rather than the request.
 * @example const user = await readValue(session, 'user')
 */
export async function readValue<Data extends SessionData, K extends keyof Data & string>(
  session: Session<Data>,
  key: K,
): Promise<Data[K] | undefined> {
  if (!session.isLoaded) await session.load()
  return session.get(key)
}

/**
 * Signs a user in: starts a new session (a store gives it a new id, a cookie is re-issued: the
 * session-fixation defence) and stores `values` in it, e.g. `{ user: id }`.
 * @example await login(req.session, { user: '42' })
 */
export async function login<Data extends SessionData>(
  session: Session<Data>,
  values: Partial<Data>,
): Promise<void> {
  if (!session.isLoaded) await session.load()
  session.regenerate()
  for (const key of Object.keys(values) as (keyof Data & string)[]) {
    session.set(key, values[key] as Data[typeof key])
  }
}

/**
 * Signs out: removes everything, so the response deletes the cookie (and a store drops the record).
 * @example await logout(req.session)
 */
export async function logout<Data extends SessionData>(session: Session<Data>): Promise<void> {
  if (!session.isLoaded) await session.load()
  session.clear()
}
