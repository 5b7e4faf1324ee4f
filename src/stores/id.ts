/**
 * Session ids: random, signed in the cookie, hashed in the store.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Algorithm } from '../codec/signer.ts'
import { Signer } from '../codec/signer.ts'

/** Bytes of randomness in a session id: 256 bits, twice OWASP's 128-bit minimum. */
export const SESSION_ID_BYTES = 32

/** Length of an id in URL-safe base64 without padding. */
const ID_LENGTH = Math.ceil((SESSION_ID_BYTES * 4) / 3)
const ID = /^[A-Za-z0-9_-]+$/

/**
 * Salt of id signatures. It differs from the one Starlette cookies are signed under
 * (`itsdangerous.Signer`), so no signature made for one kind of cookie verifies as the other.
 */
export const SESSION_ID_SALT = 'tessera.session-id'

/** A new session id from the CSPRNG, URL-safe base64. */
export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url')
}

/**
 * The store key of a session id: its SHA-256. Ids are 256 random bits, so no salt or slow hash is
 * needed to make the key useless to whoever reads the store: it cannot be turned back into a cookie.
 */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url')
}

/** What {@link SessionIdSigner.unsign} found. */
export interface VerifiedId {
  id: string
  /** Index of the secret that verified; above 0 means the cookie should be re-signed. */
  keyIndex: number
}

/** Signs ids for cookies with the engine's secrets and checks them before any store lookup. */
export class SessionIdSigner {
  readonly #signer: Signer

  constructor(secret: readonly string[], algorithm: Algorithm) {
    this.#signer = new Signer({ secret, salt: SESSION_ID_SALT, algorithm })
  }

  /** `id.signature`. */
  sign(id: string): string {
    return this.#signer.sign(id)
  }

  /** The id in a cookie value, or `undefined` when it is not one this server signed. */
  unsign(value: string): VerifiedId | undefined {
    // Cheap shape checks first: only a value of the right length and alphabet is worth an HMAC.
    if (value.length <= ID_LENGTH + 1 || value.charCodeAt(ID_LENGTH) !== 46 /* . */) return undefined
    try {
      const { value: id, keyIndex } = this.#signer.unsign(value)
      return id.length === ID_LENGTH && ID.test(id) ? { id, keyIndex } : undefined
    } catch {
      return undefined
    }
  }
}
