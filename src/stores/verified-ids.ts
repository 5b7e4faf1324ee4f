/**
 * A small bounded memory of session-id cookie values that passed verification, with the store key
 * of each, so that a returning cookie costs a map lookup instead of an HMAC and a SHA-256.
 *
 * The key is the whole cookie value, signature included: a hit means "this exact string verified
 * before", which anyone sending it could learn anyway from the response. Id signatures carry no
 * timestamp, so a hit needs no further check; whether the session still exists is the store's answer.
 */
import { hashSessionId, type SessionIdSigner } from './id.ts'

/** A verified session id and its store key. */
export interface KnownId {
  readonly id: string
  /** Index of the secret that verified it; above 0 means the cookie should be re-signed. */
  readonly keyIndex: number
  /** The id's store key, `hashSessionId(id)`. */
  readonly key: string
}

/** Enough for the cookies of the users active in the last moments of a busy server. */
export const VERIFIED_IDS_CAPACITY = 1000

/** Verifies id cookies through `signer`, remembering at most `capacity` values (first in, first out). */
export class VerifiedIds {
  readonly #entries = new Map<string, KnownId>()

  constructor(
    readonly signer: SessionIdSigner,
    readonly capacity: number = VERIFIED_IDS_CAPACITY,
  ) {}

  /** The id in a cookie value with its store key, or `undefined` when this server did not sign it. */
  verify(value: string): KnownId | undefined {
    const known = this.#entries.get(value)
    if (known !== undefined) return known
    const verified = this.signer.unsign(value)
    if (verified === undefined) return undefined
    const found: KnownId = Object.freeze({ ...verified, key: hashSessionId(verified.id) })
    if (this.capacity > 0) {
      if (this.#entries.size >= this.capacity) {
        // Map iterates in insertion order: the first key is the oldest.
        const oldest = this.#entries.keys().next()
        if (!oldest.done) this.#entries.delete(oldest.value)
      }
      this.#entries.set(value, found)
    }
    return found
  }

  /** How many values are kept. */
  get size(): number {
    return this.#entries.size
  }
}
