/**
 * What the Flask format needs from zlib, chosen when the package is resolved (package.json
 * `imports`, `#zlib`): `node.ts` where `node:zlib` exists (Node, Bun, Deno), `portable.ts` elsewhere
 * (Workers, edge runtimes, browsers). Decoding is synchronous (the engine verifies a cookie inside
 * the synchronous, lazy `open()`), which rules out `DecompressionStream`; the portable build
 * therefore writes uncompressed payloads (which Flask reads) and refuses compressed ones.
 */
export interface Zlib {
  /** Whether compressed payloads can be read and written on this build. */
  readonly available: boolean
  /**
   * Inflates zlib data (RFC 1950), stopping as soon as the output would exceed `limit` bytes: a
   * 3 KB "zlib bomb" would otherwise inflate to megabytes.
   * @throws {import('../../errors.ts').BadPayload} when the data is not zlib, is truncated, exceeds
   * `limit`, or inflating is not available on this build.
   */
  inflate(data: Uint8Array, limit: number): Uint8Array
  /** zlib data (RFC 1950) for `data`, or `undefined` where compressing is not available. */
  deflate(data: Uint8Array): Uint8Array | undefined
}
