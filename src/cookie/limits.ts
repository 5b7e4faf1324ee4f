/**
 * Limits browsers put on cookies, with the clauses they come from.
 */

/**
 * RFC 6265bis section 5.7 (storage model), step 3: a user agent ignores a cookie whose name and
 * value together are longer than 4096 octets. Chromium and Firefox enforce exactly this.
 */
export const MAX_NAME_AND_VALUE_BYTES = 4096

/**
 * RFC 6265bis section 5.6.2 (Max-Age): user agents cap a cookie's lifetime at 400 days, so a longer
 * Max-Age would silently be cut short.
 */
export const MAX_AGE_LIMIT_SECONDS = 400 * 24 * 60 * 60

/** Bytes of a cookie's name plus value, as browsers count them (UTF-8). */
export function cookieSize(name: string, value: string): number {
  return Buffer.byteLength(name) + Buffer.byteLength(value)
}
