/**
 * SvelteKit adapter (SvelteKit 2): a `handle` hook that puts the request's session in
 * `event.locals.session` (typed through {@link Register} on `App.Locals`) and commits it onto the
 * response `resolve` gives back, for pages, form actions and `+server.ts` endpoints alike.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit'
import { toEngine } from '../cookie-engine.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import { CommitFailure, commitFor, failureFor, loadFailure, shouldCommit } from './commit.ts'
import { withSessionHeaders } from './fetch.ts'
import { fetchContext } from './request-context.ts'

declare global {
  namespace App {
    interface Locals {
      /** The request's session, added by tessera's `sessions()` hook. */
      session: Session<RegisteredSessionData>
    }
  }
}

/**
 * The `handle` hook: `export const handle = sessions({ secretKey: env.SECRET_KEY })` in
 * `src/hooks.server.ts` (with other hooks: `sequence(sessions(...), yours)`). A response that fails
 * (5xx: a load or endpoint that threw) leaves the cookie as it was. With a store engine,
 * `await event.locals.session.load()` before using it; a store that is down or slow
 * (`StoreUnavailable`, on load or commit) gives a 503 JSON answer.
 *
 * @example
 * // src/hooks.server.ts
 * export const handle = sessions({ secretKey: env.SECRET_KEY })
 * // src/routes/me/+server.ts
 * export const GET = ({ locals }) => json({ user: locals.session.get('user') ?? null })
 */
export function sessions(options: SessionOptions | Engine<RegisteredSessionData>): Handle {
  const engine = toEngine(options)
  const logger = engine.options.logger
  return async function tesseraSession({ event, resolve }) {
    const opened = engine.open(
      event.request.headers.get('cookie'),
      fetchContext(engine.options, event.request),
    )
    event.locals.session = opened.session
    const response = await resolve(event)
    if (!shouldCommit(response.status)) {
      // SvelteKit answered a thrown error itself; one from the session store becomes the 503.
      const failure = failureFor(await loadFailure(opened.session as Session<SessionData>), logger)
      if (failure !== undefined) return failure.toResponse()
    }
    const outcome = await commitFor(opened, response.status, logger)
    if (outcome instanceof CommitFailure) return outcome.toResponse()
    return outcome === undefined ? response : withSessionHeaders(response, outcome)
  }
}

/**
 * The session of a request, for "dependency" functions that take the event.
 * @throws {SessionMiddlewareMissing} when the hook is not installed.
 */
export function getSession<Data extends SessionData = RegisteredSessionData>(
  event: Pick<RequestEvent, 'locals'>,
): Session<Data> {
  const session = (event.locals as { session?: Session<Data> }).session
  if (session === undefined)
    throw new SessionMiddlewareMissing('export const handle = sessions(...) from src/hooks.server.ts')
  return session
}

/**
 * A 401 JSON response unless the session holds `key`, else `undefined`: the guard for a
 * `+server.ts` endpoint or a `load` (pages: `redirect` instead).
 * @example
 * export const GET = async (event) => (await requireKey(event, 'user')) ?? json({ user: event.locals.session.get('user') })
 */
export async function requireKey(
  event: Pick<RequestEvent, 'locals'>,
  key: keyof RegisteredSessionData & string,
): Promise<Response | undefined> {
  const session = getSession<SessionData>(event)
  if (!session.isLoaded) await session.load()
  if (session.has(key)) return undefined
  const denied = unauthorized(key)
  return Response.json(denied.body, { status: denied.status })
}
