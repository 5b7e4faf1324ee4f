import { digest, hmac, keyedMac } from '#crypto'
import { BadSignature, ConfigError } from '../errors.ts'
import { ALGORITHMS, type Algorithm, type Mac } from './crypto/contract.ts'

export type { Algorithm }

/**
 * How a secret becomes the HMAC key, named as itsdangerous names its `key_derivation` choices:
 * - `'django-concat'`: `digest(salt + "signer" + secret)`, itsdangerous' default (Starlette);
 * - `'concat'`: `digest(salt + secret)`;
 * - `'hmac'`: `hmac(secret, salt)`, what Flask's session cookie uses;
 * - `'none'`: the secret itself.
 */
export type KeyDerivation = 'django-concat' | 'concat' | 'hmac' | 'none'

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
  /** @default 'django-concat' (itsdangerous' default) */
  keyDerivation?: KeyDerivation
}

/** What {@link Signer.unsign} found. */
export interface Unsigned {
  /** The value the signature covered. */
  value: string
  /** Index in the secret list of the key that verified; above 0 means the value should be re-signed. */
  keyIndex: number
}

const SEPARATOR = '.'
const KEY_DERIVATIONS: readonly KeyDerivation[] = ['django-concat', 'concat', 'hmac', 'none']

/**
 * HMAC signatures byte-compatible with itsdangerous' `Signer` (2.x): the key is derived from the
 * secret and the salt (see {@link KeyDerivation}), the signature is the HMAC of the value in URL-safe
 * base64 without padding, appended after a `.`.
 */
export class Signer {
  readonly #macs: readonly Mac[]

  /** @throws {ConfigError} on an empty key list, an unknown algorithm or key derivation. */
  constructor(options: SignerOptions) {
    const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret
    const algorithm = options.algorithm ?? 'sha1'
    const derivation = options.keyDerivation ?? 'django-concat'
    if (secrets.length === 0) throw new ConfigError('secret: the list is empty; give at least one secret')
    checkAlgorithm(algorithm)
    if (!KEY_DERIVATIONS.includes(derivation)) {
      throw new ConfigError(
        `keyDerivation: "${derivation}" is not supported; use one of ${KEY_DERIVATIONS.join(', ')}`,
      )
    }
    const salt = options.salt ?? 'itsdangerous.Signer'
    this.#macs = secrets.map((secret) => keyedMac(algorithm, deriveKey(derivation, algorithm, secret, salt)))
  }

  /** Returns `value.signature`, signed with the first secret. */
  sign(value: string): string {
    return value + SEPARATOR + (this.#macs[0] as Mac)(value)
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
    for (let keyIndex = 0; keyIndex < this.#macs.length; keyIndex++) {
      if (sameSignature(given, (this.#macs[keyIndex] as Mac)(value))) return { value, keyIndex }
    }
    throw new BadSignature('signature does not match')
  }

  /** How many secrets verify. */
  get keyCount(): number {
    return this.#macs.length
  }
}

/** @throws {ConfigError} unless `algorithm` is one of sha1, sha256, sha512. */
export function checkAlgorithm(algorithm: unknown): asserts algorithm is Algorithm {
  if (!ALGORITHMS.includes(algorithm as Algorithm)) {
    throw new ConfigError(
      `algorithm: ${JSON.stringify(algorithm)} is not supported; use one of ${ALGORITHMS.join(', ')}`,
    )
  }
}

/** The HMAC key itsdangerous' `Signer.derive_key` makes from a secret and a salt. */
function deriveKey(
  derivation: KeyDerivation,
  algorithm: Algorithm,
  secret: string,
  salt: string,
): Uint8Array {
  const utf8 = new TextEncoder()
  switch (derivation) {
    case 'django-concat':
      return digest(algorithm, `${salt}signer${secret}`)
    case 'concat':
      return digest(algorithm, salt + secret)
    case 'hmac':
      return hmac(algorithm, utf8.encode(secret), salt)
    case 'none':
      return utf8.encode(secret)
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
