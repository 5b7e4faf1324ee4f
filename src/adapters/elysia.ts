/**
 * Elysia adapter (Elysia 1.x, on Bun): a plugin that derives `session` into every route's context
 * and commits it in `onAfterHandle`, the last hook that runs before Elysia builds the response and
 * where a hook may still replace it.
 */
import { Elysia, ElysiaCustomStatusResponse, StatusMap } from 'elysia'
import { toEngine } from '../cookie-engine.ts'
import type { Engine, OpenedSession } from '../engine.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'
import { VARY_ONLY } from '../session-state.ts'
import { applyCommit, CommitFailure, commitFor, failureFor, type HeaderTarget } from './commit.ts'
import { withSessionHeaders } from './fetch.ts'
import { fetchContext } from './request-context.ts'

/** Elysia's `set.headers`: a plain record, where `set-cookie` may be a list. */
type SetHeaders = Record<string, string | string[] | number | undefined>

/** The part of Elysia's `set` the adapter uses. */
interface ResponseSet {
  status?: number | string
  headers: SetHeaders
}

/**
 * The sessions plugin: `app.use(sessions<Data>(options))`, then `session` is in every route's
 * context. A handler that throws, or answers 5xx, leaves the cookie as it was. With a store engine,
 * `await session.load()` before using it; a store that is down or slow (`StoreUnavailable`, on load
 * or commit) gives a 503 JSON answer.
 *
 * A streamed body is produced after the headers: change the session before returning (a later
 * change is reported through the `logger` option).
 *
 * @example
 * new Elysia()
 *   .use(sessions<{ user?: string }>({ secretKey: process.env.SECRET_KEY! }))
 *   .get('/me', ({ session }) => ({ user: session.get('user') ?? null }))
 *   .listen(3000)
 */
export function sessions<Data extends SessionData = SessionData>(options: SessionOptions | Engine<Data>) {
  const engine = toEngine(options)
  const logger = engine.options.logger
  const opened = new WeakMap<Request, OpenedSession<Data>>()
  return new Elysia()
    .derive({ as: 'global' }, function openSession({ request }) {
      const open = engine.open(request.headers.get('cookie'), fetchContext(engine.options, request))
      opened.set(request, open)
      return { session: open.session }
    })
    .onAfterHandle({ as: 'global' }, async function commitSession({ request, response, set }) {
      const open = opened.get(request)
      if (open === undefined) return undefined
      const outcome = await commitFor(open, statusOf(response, set), logger)
      if (outcome instanceof CommitFailure) return outcome.toResponse()
      if (outcome === undefined) return undefined
      if (response instanceof Response) return withSessionHeaders(response, outcome)
      applyCommit(new SetHeaderTarget(set.headers as SetHeaders), outcome)
      return undefined
    })
    .onError({ as: 'global' }, function answerSessionError({ request, error, set }) {
      // A store that fails while the handler loads the session: the same answer as a failed commit.
      const failure = failureFor(error, logger)
      if (failure !== undefined) return failure.toResponse()
      // Any other failure writes nothing; the answer still depends on a session that was read.
      const open = opened.get(request)
      if (open?.session.isLoaded) applyCommit(new SetHeaderTarget(set.headers as SetHeaders), VARY_ONLY)
      return undefined
    })
}

/** The status the response will have: a `Response`'s own, `status(code, ...)`'s, else `set.status`. */
function statusOf(response: unknown, set: ResponseSet): number {
  if (response instanceof Response) return response.status
  if (response instanceof ElysiaCustomStatusResponse) return Number(response.code)
  if (typeof set.status === 'number') return set.status
  if (set.status === undefined) return 200
  return (StatusMap as Record<string, number>)[set.status] ?? 200
}

/** Elysia's `set.headers` as a {@link HeaderTarget}: names are matched without regard to case. */
class SetHeaderTarget implements HeaderTarget {
  constructor(readonly headers: SetHeaders) {}

  #key(name: string): string {
    for (const key in this.headers) if (key.toLowerCase() === name) return key
    return name
  }

  get(name: string): string | undefined {
    const value = this.headers[this.#key(name)]
    return Array.isArray(value) ? value.join(', ') : value?.toString()
  }

  set(name: string, value: string): void {
    this.headers[this.#key(name)] = value
  }

  append(name: string, value: string): void {
    const key = this.#key(name)
    const existing = this.headers[key]
    if (existing === undefined) this.headers[key] = value
    else this.headers[key] = Array.isArray(existing) ? [...existing, value] : [String(existing), value]
  }
}

/**
 * A `beforeHandle` hook that answers 401 JSON unless the session holds `key`.
 * @example app.get('/me', ({ session }) => session.get('user'), { beforeHandle: requireKey('user') })
 */
export function requireKey<Data extends SessionData = SessionData>(key: keyof Data & string) {
  return async function requireSessionKey({ session }: { session: Session<Data> }) {
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return undefined
    const denied = unauthorized(key)
    return Response.json(denied.body, { status: denied.status })
  }
}
