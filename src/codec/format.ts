import type { SessionData } from './json.ts'

/** What a {@link CookieFormat} read from a cookie value it could verify. */
export interface Decoded {
  data: SessionData
  /** The JSON text the data was parsed from, to tell later whether it changed. */
  json: string
  /** Seconds since the epoch at which the cookie was issued. */
  issuedAt: number
  /** Index of the secret that verified it; above 0 means it should be re-issued with the first. */
  keyIndex: number
}

/**
 * A way of turning session data into a cookie value and back. Formats are siblings (signed
 * Starlette cookies, sealed cookies...), each built from the codec layers below it.
 */
export interface CookieFormat {
  /** A short name, shown in the inspector and in errors. */
  readonly name: string
  /** Turns JSON text of the session into a cookie value, issued at `now` (seconds). */
  encode(json: string, now: number): string
  /**
   * Verifies and decodes a cookie value.
   * @throws {import('../errors.ts').BadData} for anything that fails a check.
   */
  decode(value: string, now: number): Decoded
}
