import { createHash, createHmac } from 'node:crypto'
import { BadSignature, ConfigError } from '../errors.ts'

/** HMAC digests a signer may use. `sha1` is what itsdangerous and Starlette use by default. */
export type Algorithm = 'sha1' | 'sha256' | 'sha512'

/** Options of {@link Signer}. */
export interface SignerOptions {
  /**
   * One secret, or a list for key rotation: the first signs, every one verifies.
   * Put a new secret first and keep the old ones after it until their cookies have expired.
   */
  secret: string | readonly string[]
  /**
   * Namespaces signatures so that a value signed for one purpose does not verify for another.
   * @default 'itsdangerous.Signer'
   */
  salt?: string
  /** @default 'sha1' */
  algorithm?: Algorithm
}

/** What {@link Signer.unsign} found. */
export interface Unsigned {
  /** The value the signature covered. */
  value: string
  /** Index in the secret list of the key that verified; above 0 means the value should be re-signed. */
  keyIndex: number
}

const SEPARATOR = '.'
const ALGORITHMS: readonly Algorithm[] = ['sha1', 'sha256', 'sha512']

/**
 * HMAC signatures byte-compatible with itsdangerous' `Signer` (2.x defaults): the key is derived
 * "django-concat" style as `digest(salt + "signer" + secret)`, the signature is the HMAC of the
 * value in URL-safe base64 without padding, appended after a `.`.
 */
export class Signer {
  readonly #keys: readonly Buffer[]
  readonly #algorithm: Algorithm

  constructor(options: SignerOptions) {
    const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret
    const algorithm = options.algorithm ?? 'sha1'
    if (secrets.length === 0) throw new ConfigError('secret: the list is empty; give at least one secret')
    if (!ALGORITHMS.includes(algorithm)) {
      throw new ConfigError(`algorithm: "${algorithm}" is not supported; use one of ${ALGORITHMS.join(', ')}`)
    }
    const salt = options.salt ?? 'itsdangerous.Signer'
    this.#algorithm = algorithm
    this.#keys = secrets.map((secret) => createHash(algorithm).update(`${salt}signer${secret}`).digest())
  }

  /** Returns `value.signature`, signed with the first secret. */
  sign(value: string): string {
    return value + SEPARATOR + this.#signature(value, 0)
  }

  /**
   * Checks the signature against every secret, in order, and returns the signed value.
   * The signature must equal the expected text exactly: itsdangerous' lenient base64 would accept
   * some altered signatures (unused low bits, stray characters), this does not.
   * @throws {BadSignature} when no secret verifies the value.
   */
  unsign(signed: string): Unsigned {
    const at = signed.lastIndexOf(SEPARATOR)
    if (at < 0) throw new BadSignature('no separator: the value is not signed')
    const value = signed.slice(0, at)
    const given = signed.slice(at + 1)
    for (let keyIndex = 0; keyIndex < this.#keys.length; keyIndex++) {
      if (sameSignature(given, this.#signature(value, keyIndex))) return { value, keyIndex }
    }
    throw new BadSignature('signature does not match')
  }

  /** How many secrets verify. */
  get keyCount(): number {
    return this.#keys.length
  }

  #signature(value: string, keyIndex: number): string {
    // biome-ignore lint/style/noNonNullAssertion: keyIndex is always in range, checked by callers' loops
    return createHmac(this.#algorithm, this.#keys[keyIndex]!).update(value, 'utf8').digest('base64url')
  }
}

/**
 * Compares a given signature with the expected one in time that depends only on their lengths (which
 * are public: every signature of an algorithm has the same length), never on where they differ.
 * Works on the strings directly: no buffers to allocate on every request.
 */
export function sameSignature(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false
  let difference = 0
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i)
  return difference === 0
}
