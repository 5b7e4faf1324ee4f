/**
 * Where tessera reports what it cannot answer with an error: a store outage answered 503, a session
 * too large for its cookie, a change made after the response left, a weak secret allowed on purpose.
 */

/** A logger: `console`, pino, winston and most others fit as they are. */
export interface Logger {
  warn(message: string): void
  error(message: string): void
}

/**
 * The default: one line per incident on the console, with the reason, and no stack trace (an outage
 * seen by every request would otherwise print one per request).
 */
export const consoleLogger: Logger = Object.freeze({
  warn: (message: string) => console.warn(`tessera: ${message}`),
  error: (message: string) => console.error(`tessera: ${message}`),
})

/** The message of an error and of its cause, on one line. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message
}
