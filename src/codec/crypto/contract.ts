/**
 * What the signer needs from a hash library, implemented twice and chosen when the package is
 * resolved (package.json `imports`, `#crypto`): `node.ts` on runtimes with `node:crypto` (Node, Bun,
 * Deno), `portable.ts` everywhere else (Workers, edge runtimes, browsers). Both are synchronous: a
 * cookie is verified inside the synchronous, lazy `engine.open()`, where Web Crypto's promise-based
 * HMAC does not fit (docs/portability.md).
 */

/** HMAC digests a signer may use. `sha1` is what itsdangerous and Starlette use by default. */
export type Algorithm = 'sha1' | 'sha256' | 'sha512'

/** Every {@link Algorithm}, for validation. */
export const ALGORITHMS: readonly Algorithm[] = Object.freeze(['sha1', 'sha256', 'sha512'])

/**
 * The HMAC of a UTF-8 message under one key, as URL-safe base64 without padding: what a signer
 * computes on every request, so each implementation builds it once per key in its fastest form.
 */
export type Mac = (message: string) => string

/** The operations both implementations export. */
export interface Hashing {
  /** The digest of `data` (UTF-8 when a string). */
  digest(algorithm: Algorithm, data: string | Uint8Array): Uint8Array
  /** The HMAC of `data` (UTF-8 when a string) under `key`. */
  hmac(algorithm: Algorithm, key: Uint8Array, data: string | Uint8Array): Uint8Array
  /** A {@link Mac} for `key`. */
  keyedMac(algorithm: Algorithm, key: Uint8Array): Mac
}

/** Bytes of an AES-GCM authentication tag: the full 128 bits (NIST SP 800-38D section 5.2.1.2). */
export const GCM_TAG_BYTES = 16

/**
 * What the sealed format needs on top of {@link Hashing}: key derivation, randomness, and AES-256-GCM,
 * all synchronous for the same reason as the HMAC (a cookie session is opened synchronously).
 */
export interface Sealing {
  /** HKDF-SHA256 (RFC 5869) of `secret` with `salt` and `info`, `length` bytes long. */
  hkdfSha256(secret: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array
  /** `length` bytes from the platform's cryptographically secure generator. */
  randomBytes(length: number): Uint8Array
  /** AES-256-GCM encryption: the ciphertext followed by the {@link GCM_TAG_BYTES}-byte tag. */
  sealAesGcm(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array
  /** AES-256-GCM decryption of ciphertext-and-tag, or `undefined` when the tag does not verify. */
  openAesGcm(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined
}
