/**
 * CSRF defence for the demo's forms, in two independent layers:
 * 1. Hono's `csrf()` middleware: a state-changing request must come from this origin
 *    (`Sec-Fetch-Site: same-origin`, or else an `Origin` header equal to ours).
 * 2. A synchronizer token: a random per-session value, kept in the session and echoed by every form
 *    in a hidden field, compared in constant time. It still holds where a proxy strips the headers
 *    above, and it is rotated on sign-in.
 * The session cookie is also `SameSite=Lax`, so browsers do not send it with cross-site POSTs at all.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { session } from './dependencies.ts'
import type { DemoSessionOf } from './state.ts'

/** Name of the hidden form field that carries the token. */
export const CSRF_FIELD = '_csrf'

/** The session's token, created (22 characters, 128 bits) when it has none. */
export function csrfToken(session: DemoSessionOf): string {
  const token: unknown = session.get('csrf')
  if (typeof token === 'string' && token.length >= 22) return token
  return rotateCsrfToken(session)
}

/** Replaces the token, so forms rendered before (for example before sign-in) stop working. */
export function rotateCsrfToken(session: DemoSessionOf): string {
  const token = randomBytes(16).toString('base64url')
  session.set('csrf', token)
  return token
}

function sameToken(expected: unknown, given: unknown): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Guard for the route of each form: rejects (403) a request from another origin or without the
 * session's token. It is put on each form's route, not on the whole app, so JSON APIs beside the
 * pages (the seed's endpoints, or routes a test adds) keep their own rules.
 * @example routes.post('/draft', formGuard, (c) => ...)
 */
export const formGuard: MiddlewareHandler = (() => {
  const sameOrigin = csrf()
  return async function formGuard(c, next) {
    return sameOrigin(c, async () => {
      const body = await c.req.parseBody()
      if (!sameToken(session(c).get('csrf'), body[CSRF_FIELD])) throw new HTTPException(403)
      await next()
    })
  }
})()
