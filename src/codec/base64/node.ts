/**
 * `#base64` on runtimes with `Buffer` (Node, Bun, Deno): Node's native codec, faster than
 * `portable.ts` on Node (docs/portability.md). Same answers as `portable.ts`, pinned by
 * src/codec/fast-paths.test.ts.
 */

const URL_SAFE = /^[A-Za-z0-9_-]*$/

/** Standard base64 with padding (RFC 4648 section 4); a string is encoded as UTF-8. */
export function encodeBase64(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64')
}

/**
 * Decodes standard base64, or returns `undefined` when the text is not canonical base64 (standard
 * alphabet, length a multiple of 4, at most two `=` at the end).
 */
export function decodeBase64(text: string): Uint8Array | undefined {
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

/** {@link decodeBase64}, then UTF-8 (invalid sequences become U+FFFD). */
export function decodeBase64Text(text: string): string | undefined {
  const bytes = decodeBase64(text) as Buffer | undefined
  return bytes?.toString('utf8')
}

/** URL-safe base64 without padding (RFC 4648 section 5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/** Decodes URL-safe base64 without padding, or `undefined` when the text is not in that alphabet. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1 || !URL_SAFE.test(text)) return undefined
  return Buffer.from(text, 'base64url')
}
