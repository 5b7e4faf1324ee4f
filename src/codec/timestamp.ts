import { decodeBase64Url, encodeBase64Url } from '#base64'
import { BadTimeSignature, SignatureExpired, SignatureFromFuture } from '../errors.ts'
import type { Signer } from './signer.ts'

/** What {@link TimestampSigner.unsign} found. */
export interface TimestampUnsigned {
  value: string
  /** Seconds since the epoch at which the value was signed. */
  issuedAt: number
  keyIndex: number
}

/** Options of {@link TimestampSigner.unsign}. */
export interface UnsignOptions {
  /** Reject values signed more than this many seconds ago; `null` accepts any age. */
  maxAge: number | null
  /** The current time, in seconds since the epoch. */
  now: number
  /** How many seconds in the future a timestamp may be, to allow for clocks that differ slightly. */
  clockSkew: number
}

/**
 * Adds an issued-at time to a {@link Signer}, byte-compatible with itsdangerous' `TimestampSigner`:
 * `value.timestamp.signature`, the timestamp being whole seconds as minimal big-endian bytes in
 * URL-safe base64, covered by the signature.
 */
export class TimestampSigner {
  constructor(readonly signer: Signer) {}

  /** Signs `value` as issued at `now` (seconds since the epoch). */
  sign(value: string, now: number): string {
    return this.signer.sign(`${value}.${encodeTimestamp(Math.floor(now))}`)
  }

  /**
   * Verifies the signature first, then the timestamp.
   * @throws {BadSignature} on a bad signature; its subclasses on a missing, expired or future timestamp.
   */
  unsign(signed: string, options: UnsignOptions): TimestampUnsigned {
    const { value: stamped, keyIndex } = this.signer.unsign(signed)
    const at = stamped.lastIndexOf('.')
    if (at < 0) throw new BadTimeSignature('timestamp missing')
    const issuedAt = decodeTimestamp(stamped.slice(at + 1))
    if (issuedAt === undefined) throw new BadTimeSignature('malformed timestamp')
    checkAge(issuedAt, options)
    return { value: stamped.slice(0, at), issuedAt, keyIndex }
  }
}

/**
 * Checks the age of a value issued at `issuedAt` (seconds): not older than `maxAge`, not further in
 * the future than `clockSkew`.
 * @throws {SignatureExpired} when it is too old.
 * @throws {SignatureFromFuture} when it is dated too far in the future.
 */
export function checkAge(issuedAt: number, options: UnsignOptions): void {
  const age = options.now - issuedAt
  if (options.maxAge !== null && age > options.maxAge) {
    throw new SignatureExpired(`signature age ${age} > ${options.maxAge} seconds`, new Date(issuedAt * 1000))
  }
  if (age < -options.clockSkew) {
    throw new SignatureFromFuture(
      `signature dated ${-age} seconds in the future, more than the allowed clock skew of ${options.clockSkew}`,
      new Date(issuedAt * 1000),
    )
  }
}

// Fast path: every cookie signed within the same second carries the same timestamp text.
let lastSeconds = Number.NaN
let lastText = ''

/** Whole seconds as the fewest big-endian bytes (Python's `int.to_bytes((n.bit_length() + 7) // 8)`). */
export function encodeTimestamp(seconds: number): string {
  if (seconds === lastSeconds) return lastText
  lastText = encodeBytes(seconds)
  lastSeconds = seconds
  return lastText
}

function encodeBytes(seconds: number): string {
  const bytes: number[] = []
  for (let rest = seconds; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return encodeBase64Url(Uint8Array.from(bytes))
}

/** The inverse of {@link encodeTimestamp}; `undefined` for anything that is not 1 to 6 bytes. */
export function decodeTimestamp(text: string): number | undefined {
  const bytes = decodeBase64Url(text)
  // 6 bytes already reach the year 8.9 million; more could exceed Number.MAX_SAFE_INTEGER.
  if (bytes === undefined || bytes.length === 0 || bytes.length > 6) return undefined
  let seconds = 0
  for (const byte of bytes) seconds = seconds * 256 + byte
  return seconds
}
