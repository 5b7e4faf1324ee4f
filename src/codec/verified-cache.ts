/**
 * A small bounded memory of cookie values that passed verification, so that the same cookie coming
 * back on the next request costs a map lookup instead of an HMAC and a base64 decode.
 *
 * Only values that verified and decoded enter it, and the key is the whole value, signature
 * included: a hit means "this exact string was verified before", which anyone sending it could
 * learn anyway from the response, so the cache reveals nothing a request does not. The age of a hit
 * is checked again on every use (by the caller), so an entry never outlives its cookie's max age.
 */
import type { Decoded } from './format.ts'

/** A first-in, first-out map of at most `capacity` verified values. */
export class VerifiedCache {
  readonly #entries = new Map<string, Decoded>()

  /** @param capacity Most values kept; the oldest is dropped to make room. */
  constructor(readonly capacity: number) {}

  /** What was kept for exactly this value, if it verified before. */
  get(value: string): Decoded | undefined {
    return this.#entries.get(value)
  }

  /** Keeps a value that has just passed verification. */
  remember(value: string, verified: Decoded): void {
    if (this.capacity <= 0) return
    if (this.#entries.size >= this.capacity) {
      // Map iterates in insertion order: the first key is the oldest.
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(value, verified)
  }

  /** How many values are kept. */
  get size(): number {
    return this.#entries.size
  }
}
