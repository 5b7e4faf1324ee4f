/**
 * The endpoints every benchmark app serves, as data: one table, so that every library and framework
 * answers exactly the same requests. Pure (no process state): the Next.js bench app copies this file.
 *
 * Endpoints (GET, plain-text bodies):
 * - `/setup`       creates `{ user: 'alice', count: 0 }` and answers with its cookie (read/write cookie)
 * - `/setup-large` creates `{ user: 'alice', blob: <2 KB> }` (large cookie)
 * - `/read`        answers the session's `user`
 * - `/write`       increments the session's `count` and answers it
 * - `/new`         (sent without a cookie) creates a session with `user` and answers `ok`
 * - `/untouched`   answers `ok` without touching the session
 * - `/large`       answers `user` of the 2 KB session
 *
 * An app without sessions (bare, references) answers the same bodies without one.
 */

/** One secret for every library; each derives what it needs from it. */
export const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'

/** Cookie lifetime, seconds (two weeks, Starlette's default). */
export const MAX_AGE = 14 * 24 * 60 * 60

/** tessera's options in every app: the shared secret and lifetime, everything else as defaulted. */
export const OPTIONS = { secretKey: SECRET, maxAge: MAX_AGE }

/** About 2 KB of session data: the "large" scenario. */
export const LARGE_BLOB = 'x'.repeat(2000)

/** What `/setup` stores. */
export const SMALL_SESSION = { user: 'alice', count: 0 }

/** What `/setup-large` stores. */
export const LARGE_SESSION = { user: 'alice', blob: LARGE_BLOB }

/** The session calls the endpoints make; `save` for the libraries that need an explicit save. */
export interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
  save?(): Promise<void>
}

/** One endpoint. */
export interface Endpoint {
  path: string
  /** `false` for the route that never touches the session: it must not even open it. */
  usesSession: boolean
  /** The body, given the request's session (`undefined` in an app without sessions). */
  answer(bag: Bag | undefined): string
}

/** The new value of the counter in `/write`. */
export function nextCount(current: unknown): number {
  return (typeof current === 'number' ? current : 0) + 1
}

function fill(bag: Bag | undefined, data: Record<string, unknown>): string {
  if (bag) for (const [k, v] of Object.entries(data)) bag.set(k, v)
  return 'ok'
}

const user = (bag: Bag | undefined) => String(bag ? bag.get('user') : 'alice')

/** Every endpoint. */
export const ENDPOINTS: readonly Endpoint[] = [
  { path: '/setup', usesSession: true, answer: (bag) => fill(bag, SMALL_SESSION) },
  { path: '/setup-large', usesSession: true, answer: (bag) => fill(bag, LARGE_SESSION) },
  { path: '/new', usesSession: true, answer: (bag) => fill(bag, { user: 'alice' }) },
  { path: '/read', usesSession: true, answer: user },
  { path: '/large', usesSession: true, answer: user },
  {
    path: '/write',
    usesSession: true,
    answer: (bag) => {
      const count = nextCount(bag?.get('count'))
      bag?.set('count', count)
      return String(count)
    },
  },
  { path: '/untouched', usesSession: false, answer: () => 'ok' },
]

/** The endpoints by path, for apps that route by hand (node:http, Koa). */
export const ENDPOINT_BY_PATH: ReadonlyMap<string, Endpoint> = new Map(ENDPOINTS.map((e) => [e.path, e]))

/**
 * A handler body for `endpoint`: `session` reaches the request's session, and is called only by the
 * endpoints that use it (the untouched route never opens it). `undefined`: an app without sessions.
 */
export function handlerOf<Args extends unknown[]>(
  endpoint: Endpoint,
  session: ((...args: Args) => Bag) | undefined,
): (...args: Args) => string {
  if (!session || !endpoint.usesSession) return () => endpoint.answer(undefined)
  return (...args) => endpoint.answer(session(...args))
}

/**
 * {@link handlerOf} for libraries whose session comes asynchronously (a store load, iron-session) or
 * needs an explicit save. The untouched route stays synchronous.
 */
export function asyncHandlerOf<Args extends unknown[]>(
  endpoint: Endpoint,
  session: ((...args: Args) => Bag | Promise<Bag>) | undefined,
): (...args: Args) => string | Promise<string> {
  if (!session || !endpoint.usesSession) return () => endpoint.answer(undefined)
  return async (...args) => {
    const bag = await session(...args)
    const body = endpoint.answer(bag)
    await bag.save?.()
    return body
  }
}
