/**
 * What every benchmark app shares: the endpoints and the secret (./endpoints.ts), the port and the
 * variant given by the runner.
 */
import type { Bag } from './endpoints.ts'

export * from './endpoints.ts'

/** Port to listen on, given by the runner. */
export const PORT = Number(process.env.PORT ?? 4000)

/** Which variant of the app to build (bare, tessera, a peer, a reference...). */
export const VARIANT = process.argv[2] ?? 'bare'

/**
 * The two references every framework gets, which hold no session at all: what any session layer pays
 * before doing anything. `noop` (issue 13's (a)): an async middleware that only passes the request on;
 * `vary` ((b)): the same, adding `Vary: Cookie`, which a session layer must send on a read.
 */
export type Reference = 'noop' | 'vary'

/** The reference this run's variant asks for, if any. */
export function reference(): Reference | undefined {
  return VARIANT === 'noop' || VARIANT === 'vary' ? VARIANT : undefined
}

/** Runs this run's variant's choice; an unknown variant throws, so a typo in the runner fails loudly. */
export function forVariant<T>(app: string, choices: Record<string, () => T>): T {
  const choose = choices[VARIANT]
  return choose ? choose() : unknownVariant(app)
}

/**
 * `get` in the `tessera` variant, else `undefined` (the apps without a session). `get` returns the
 * adapter's session, whose `get`/`set` are the {@link Bag}'s.
 */
export function tesseraSession<Args extends unknown[]>(
  get: (...args: Args) => unknown,
): ((...args: Args) => Bag) | undefined {
  return VARIANT === 'tessera' ? (get as (...args: Args) => Bag) : undefined
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
