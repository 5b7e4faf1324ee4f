/**
 * The two base64 alphabets the formats need (RFC 4648): standard with padding, which Starlette uses
 * for the payload, and URL-safe without padding, which itsdangerous uses for signatures and timestamps.
 */

const URL_SAFE = /^[A-Za-z0-9_-]*$/

/** Standard base64 with padding (RFC 4648 section 4). */
export function encodeBase64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64')
}

/**
 * Decodes standard base64, or returns `undefined` when the text is not canonical base64 (standard
 * alphabet, length a multiple of 4, at most two `=` at the end).
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined
  const bytes = Buffer.from(text, 'base64')
  // Fast path: Node's decoder skips characters outside the alphabet and stops at `=`, so any such
  // character leaves fewer bytes than the length promises; it also takes the URL-safe `-` and `_`,
  // which are refused by name. This is the alphabet check without a regular expression over the
  // whole cookie (which cost more than the HMAC on a 2 KB session).
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  if (bytes.length !== (text.length / 4) * 3 - padding || text.includes('-') || text.includes('_'))
    return undefined
  return bytes
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
