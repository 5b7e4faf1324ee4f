/**
 * `#zlib` where `node:zlib` is missing. A synchronous inflate would mean shipping one (the only
 * synchronous API on these runtimes is none: `DecompressionStream` is a stream), so this build
 * neither reads nor writes compressed Flask payloads: it writes them uncompressed (Flask reads
 * both) and refuses a compressed one as bad data (README, "Formats").
 */
import { BadPayload } from '../../errors.ts'

export const available = false

export function inflate(_data: Uint8Array, _limit: number): Uint8Array {
  throw new BadPayload('compressed Flask sessions can only be read where node:zlib exists (Node, Bun, Deno)')
}

export function deflate(_data: Uint8Array): undefined {
  return undefined
}
