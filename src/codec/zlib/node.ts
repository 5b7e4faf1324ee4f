/** `#zlib` on runtimes with `node:zlib` (Node, Bun, Deno): zlib itself, with an output bound. */
import { deflateSync, inflateSync } from 'node:zlib'
import { BadPayload } from '../../errors.ts'

export const available = true

export function inflate(data: Uint8Array, limit: number): Uint8Array {
  try {
    // maxOutputLength stops inflating as soon as the output passes the limit (ERR_BUFFER_TOO_LARGE):
    // memory stays bounded by the limit, whatever the ratio of the input.
    return inflateSync(data, { maxOutputLength: limit })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new BadPayload(`compressed session inflates past the ${limit}-byte limit`)
    throw new BadPayload('compressed session payload is not valid zlib data')
  }
}

export function deflate(data: Uint8Array): Uint8Array {
  // Level 6, zlib's default, as Python's zlib.compress.
  return deflateSync(data)
}
