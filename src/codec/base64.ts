/**
 * The two base64 alphabets the formats need (RFC 4648): standard with padding, which Starlette uses
 * for the payload, and URL-safe without padding, which itsdangerous uses for signatures and timestamps.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/
const URL_SAFE = /^[A-Za-z0-9_-]*$/

/** Standard base64 with padding (RFC 4648 section 4). */
export function encodeBase64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64')
}

/**
 * Decodes standard base64, or returns `undefined` when the text is not canonical base64: Node's
 * decoder silently skips bad characters, so the alphabet and length are checked first.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !STANDARD.test(text)) return undefined
  return Buffer.from(text, 'base64')
}

/** URL-safe base64 without padding (RFC 4648 section 5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

/** Decodes URL-safe base64 without padding, or `undefined` when the text is not in that alphabet. */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || !URL_SAFE.test(text)) return undefined
  return Buffer.from(text, 'base64url')
}
