/**
 * tessera's own encrypted cookie: the session is sealed with AES-256-GCM, so the client can neither
 * read nor change it. A sibling of the Starlette format, not a flag on it; its layout carries a version
 * (`t1`) so that a later layout is a new sibling with its own prefix, as iron-session's `Fe26.2`.
 *
 * ```
 * t1.<kid>.<iv>.<ciphertext+tag>
 *    kid: 3 bytes of HKDF(secret), names the key that sealed (4 characters)
 *    iv: 12 random bytes (16 characters)
 *    ciphertext: AES-256-GCM of (issued-at, 5 bytes big-endian seconds) + (session JSON, UTF-8),
 *                followed by the 16-byte tag; associated data: "t1.<kid>"
 * ```
 * Every part is URL-safe base64 without padding. The issue time is inside the authenticated
 * plaintext, so expiry can be neither read nor edited; the version and key id are bound to it as
 * associated data, so neither can be swapped.
 */
import { decodeBase64Url, encodeBase64Url } from '#base64'
import { hkdfSha256, openAesGcm, randomBytes, sealAesGcm } from '#crypto'
import { BadSignature, ConfigError } from '../errors.ts'
import { GCM_TAG_BYTES } from './crypto/contract.ts'
import type { ChunkPolicy, CookieCodec, CookieFormat, Decoded } from './format.ts'
import { checkAge } from './timestamp.ts'

/** Options of {@link sealed}. */
export interface SealedOptions {
  /**
   * Lets the engine split a session too large for one cookie over several (`session.0`,
   * `session.1`...), at most `max` of them; a smaller session goes back to one cookie and the
   * leftover chunks are deleted. Only tessera reads chunked cookies, so only this format offers it.
   * Mind the server's request header limit (Node's default is 16 KB for all headers): 3 full chunks
   * are 12 KB of `Cookie` header.
   * @default undefined (one cookie; a larger session fails with `CookieTooLarge`)
   * @example sealed({ chunks: { max: 3 } })
   */
  chunks?: ChunkPolicy
}

/** The layout's version, first part of every value. */
export const SEALED_PREFIX = 't1'
/** Most chunks a sealed session may be split over: well past what any server's header limit allows. */
export const MAX_CHUNKS = 10

const SALT = new TextEncoder().encode('tessera-session sealed')
// Distinct info strings (RFC 5869 section 3.2): the cipher key and the key id never share bytes.
const KEY_INFO = 'tessera-session t1 aes-256-gcm key'
const KID_INFO = 'tessera-session t1 key id'
const KEY_BYTES = 32
const KID_BYTES = 3
const IV_BYTES = 12
const TIME_BYTES = 5
const KID_CHARS = 4
const IV_CHARS = 16

/** One secret's derived material. */
interface SealingKey {
  readonly kid: string
  readonly key: Uint8Array
  /** The associated data of values sealed with it: `t1.<kid>`. */
  readonly aad: Uint8Array
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function deriveKey(secret: string): SealingKey {
  const ikm = encoder.encode(secret)
  const kid = encodeBase64Url(hkdfSha256(ikm, SALT, KID_INFO, KID_BYTES))
  const key = hkdfSha256(ikm, SALT, KEY_INFO, KEY_BYTES)
  return { kid, key, aad: encoder.encode(`${SEALED_PREFIX}.${kid}`) }
}

/**
 * tessera's encrypted cookie format (AES-256-GCM, keys from HKDF-SHA256, layout above). The first
 * secret seals, every listed one opens; a value opened by an older one has `keyIndex > 0`, so the
 * engine re-seals it with the newest, keeping its issue time. Random 96-bit IVs keep one key safe
 * for 2^32 seals (NIST SP 800-38D section 8.3): rotate keys long before that.
 *
 * @example
 * createSessionEngine({ secretKey, format: cached(sealed()) })
 * createSessionEngine({ secretKey, format: sealed({ chunks: { max: 3 } }) })
 * @throws {ConfigError} on a chunk bound that is not a whole number from 2 to {@link MAX_CHUNKS}.
 */
export function sealed(options: SealedOptions = {}): CookieFormat {
  const chunks = options.chunks === undefined ? undefined : checkChunks(options.chunks)
  const format: CookieFormat = {
    name: 'sealed',
    ...(chunks === undefined ? {} : { chunks }),
    create({ secrets, maxAge, clockSkew }): CookieCodec {
      const keys = secrets.map(deriveKey)
      const newest = keys[0] as SealingKey
      return {
        name: 'sealed',
        encode: (json, now) => seal(newest, json, now),
        decode(value, now): Decoded {
          const opened = unseal(keys, value)
          checkAge(opened.issuedAt, { maxAge, now, clockSkew })
          return opened
        },
      }
    },
  }
  return Object.freeze(format)
}

/** Whether `value` has the sealed layout's shape (not whether it opens): for tools that detect formats. */
export function looksSealed(value: string): boolean {
  const parts = value.split('.')
  return (
    parts.length === 4 &&
    parts[0] === SEALED_PREFIX &&
    parts[1]?.length === KID_CHARS &&
    parts[2]?.length === IV_CHARS
  )
}

/** Seals `json` as issued at `now` with `key`. */
function seal(key: SealingKey, json: string, now: number): string {
  // One buffer for the issue time and the JSON: UTF-8 takes at most 3 bytes per UTF-16 unit.
  const buffer = new Uint8Array(TIME_BYTES + json.length * 3)
  writeTime(buffer, Math.floor(now))
  const { written } = encoder.encodeInto(json, buffer.subarray(TIME_BYTES))
  const iv = randomBytes(IV_BYTES)
  const sealedBytes = sealAesGcm(key.key, iv, buffer.subarray(0, TIME_BYTES + written), key.aad)
  return `${SEALED_PREFIX}.${key.kid}.${encodeBase64Url(iv)}.${encodeBase64Url(sealedBytes)}`
}

/**
 * Opens a sealed value with whichever listed key its key id names.
 * @throws {BadSignature} when it is not a sealed value or opens with no key (the engine parses the JSON).
 */
function unseal(keys: readonly SealingKey[], value: string): Decoded {
  const parts = value.split('.')
  if (parts.length !== 4 || parts[0] !== SEALED_PREFIX) throw new BadSignature('not a sealed (t1) value')
  const [, kid, ivText, sealedText] = parts as [string, string, string, string]
  if (kid.length !== KID_CHARS || ivText.length !== IV_CHARS) throw new BadSignature('malformed sealed value')
  const iv = decodeCanonical(ivText)
  const sealedBytes = decodeCanonical(sealedText)
  if (iv === undefined || sealedBytes === undefined || sealedBytes.length < GCM_TAG_BYTES + TIME_BYTES)
    throw new BadSignature('malformed sealed value')
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    const key = keys[keyIndex] as SealingKey
    if (key.kid !== kid) continue
    const plaintext = openAesGcm(key.key, iv, sealedBytes, key.aad)
    // Two listed secrets may share a 3-byte key id (1 chance in 16 million): try the next.
    if (plaintext === undefined) continue
    return { json: decoder.decode(plaintext.subarray(TIME_BYTES)), issuedAt: readTime(plaintext), keyIndex }
  }
  throw new BadSignature('sealed value does not open with any configured secret')
}

/**
 * URL-safe base64 decoded, only when written canonically: the unused low bits of a last partial
 * group must be zero, so that no two texts decode to the same bytes (a changed character always
 * fails, instead of sometimes being ignored by a lenient decoder).
 */
function decodeCanonical(text: string): Uint8Array | undefined {
  const bytes = decodeBase64Url(text)
  if (bytes === undefined) return undefined
  const rest = bytes.length % 3
  if (rest === 0) return bytes.length * 4 === text.length * 3 ? bytes : undefined
  const tail = encodeBase64Url(bytes.subarray(bytes.length - rest))
  return text.length === Math.floor(bytes.length / 3) * 4 + rest + 1 && text.endsWith(tail)
    ? bytes
    : undefined
}

function writeTime(buffer: Uint8Array, seconds: number): void {
  let rest = seconds
  for (let i = TIME_BYTES - 1; i >= 0; i--) {
    buffer[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
}

function readTime(bytes: Uint8Array): number {
  let seconds = 0
  for (let i = 0; i < TIME_BYTES; i++) seconds = seconds * 256 + (bytes[i] as number)
  return seconds
}

function checkChunks(chunks: ChunkPolicy): ChunkPolicy {
  const max = chunks?.max
  if (!(Number.isInteger(max) && max >= 2 && max <= MAX_CHUNKS)) {
    throw new ConfigError(
      `sealed: chunks.max ${String(max)} must be a whole number from 2 to ${MAX_CHUNKS} ` +
        '(omit chunks for one cookie)',
    )
  }
  return Object.freeze({ max })
}
