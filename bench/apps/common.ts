/**
 * What every benchmark app shares: the endpoints, the secret and the session contents, so that every
 * library and framework serves exactly the same requests.
 *
 * Endpoints (GET, plain-text bodies):
 * - `/setup`       creates `{ user: 'alice', count: 0 }` and answers with its cookie (read/write cookie)
 * - `/setup-large` creates `{ user: 'alice', blob: <2 KB> }` (large cookie)
 * - `/read`        answers the session's `user`
 * - `/write`       increments the session's `count` and answers it
 * - `/new`         (sent without a cookie) creates a session with `user` and answers `ok`
 * - `/untouched`   answers `ok` without touching the session
 * - `/large`       answers `user` of the 2 KB session
 */

/** Port to listen on, given by the runner. */
export const PORT = Number(process.env.PORT ?? 4000)

/** Which variant of the app to build (bare, tessera, a peer...). */
export const VARIANT = process.argv[2] ?? 'bare'

/** One secret for every library; each derives what it needs from it. */
export const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'

/** Cookie lifetime, seconds (two weeks, Starlette's default). */
export const MAX_AGE = 14 * 24 * 60 * 60

/** About 2 KB of session data: the "large" scenario. */
export const LARGE_BLOB = 'x'.repeat(2000)

/** What `/setup` stores. */
export const SMALL_SESSION = { user: 'alice', count: 0 }

/** What `/setup-large` stores. */
export const LARGE_SESSION = { user: 'alice', blob: LARGE_BLOB }

/** The new value of the counter in `/write`. */
export function nextCount(current: unknown): number {
  return (typeof current === 'number' ? current : 0) + 1
}

/** Throws for a variant the app does not know, so a typo in the runner fails loudly. */
export function unknownVariant(app: string): never {
  throw new Error(`bench app ${app}: unknown variant "${VARIANT}"`)
}

/** Logs the line the runner waits for. */
export function listening(app: string): void {
  console.log(`ready ${app}/${VARIANT} on ${PORT}`)
}

// Exit normally on SIGTERM, so that `node --cpu-prof` writes its profile when the runner stops a server.
process.once('SIGTERM', () => process.exit(0))
