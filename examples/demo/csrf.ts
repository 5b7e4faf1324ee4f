/**
 * CSRF defence for the demo's forms: the library's own (`csrfProtection()` from tessera-session/hono,
 * docs/frameworks.md "CSRF protection"), in two independent layers:
 * 1. a state-changing request must come from this origin (`Origin` equal to ours, or else
 *    `Sec-Fetch-Site: same-origin`);
 * 2. a synchronizer token: a random per-session value kept in the session, echoed by every form in a
 *    hidden `_csrf` field, compared in constant time. It still holds where a proxy strips the headers
 *    above; sign-in's `regenerate()` drops it, so forms rendered before sign-in stop working.
 * The session cookie is also `SameSite=Lax`, so browsers do not send it with cross-site POSTs at all.
 */
import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { CSRF_FIELD, csrfToken as sessionToken } from 'tessera-session'
import { csrfProtection } from 'tessera-session/hono'
import type { DemoSessionOf } from './state.ts'

/** Name of the hidden form field that carries the token. */
export { CSRF_FIELD }

/** The session's token, created when it has none. */
export function csrfToken(session: DemoSessionOf): string {
  return sessionToken(session)
}

/**
 * Guard for the route of each form: rejects (403) a request from another origin or without the
 * session's token. It is put on each form's route, not on the whole app, so JSON APIs beside the
 * pages (the seed's endpoints, or routes a test adds) keep their own rules. The library answers a
 * refusal in JSON; for a page, the app's error handler renders "Form expired" instead.
 * @example routes.post('/draft', formGuard, (c) => ...)
 */
export const formGuard: MiddlewareHandler = (() => {
  const guard = csrfProtection()
  return async function formGuard(c, next) {
    let passed = false
    const answer = await guard(c, async () => {
      passed = true
      await next()
    })
    if (!passed) throw new HTTPException(403)
    return answer
  }
})()
