/**
 * One cookie value split over several cookies, `name.0`, `name.1`, ..., for a session too large for
 * one (RFC 6265bis section 5.7: at most 4096 bytes of name and value per cookie). Only formats that
 * tessera alone reads may be chunked (see `ChunkPolicy`). A value that fits in one cookie is sent
 * under the plain `name`, so small sessions look exactly as they do without chunking.
 */
import { cookieSize, MAX_NAME_AND_VALUE_BYTES, utf8Length } from './limits.ts'
import { readCookieValue } from './parse.ts'

/** The name of chunk `index` of cookie `name`. */
export function chunkName(name: string, index: number): string {
  return `${name}.${index}`
}

/**
 * The value a request carries under `name`: the plain cookie when there is one (what a session that
 * fits in one cookie is sent as), else chunks `name.0`, `name.1`... joined, up to `max` of them and
 * up to the first one missing. `undefined` when there is neither.
 */
export function readChunkedValue(
  header: string | null | undefined,
  name: string,
  max: number,
): string | undefined {
  const plain = readCookieValue(header, name)
  if (plain !== undefined || !header) return plain
  let value: string | undefined
  for (let index = 0; index < max; index++) {
    const chunk = readCookieValue(header, chunkName(name, index))
    if (chunk === undefined) break
    value = value === undefined ? chunk : value + chunk
  }
  return value
}

/** Indexes of the chunks of `name` (below `max`) a request carries: the ones a response may have to delete. */
export function chunksIn(header: string | null | undefined, name: string, max: number): number[] {
  const present: number[] = []
  if (!header?.includes(`${name}.`)) return present
  for (let index = 0; index < max; index++) {
    if (readCookieValue(header, chunkName(name, index)) !== undefined) present.push(index)
  }
  return present
}

/**
 * The bytes of name and value the chunks of `name` can hold together, at most `max` of them: each
 * chunk pays for its own name.
 */
export function chunkCapacity(name: string, max: number): number {
  let capacity = 0
  for (let index = 0; index < max; index++)
    capacity += MAX_NAME_AND_VALUE_BYTES - utf8Length(chunkName(name, index))
  return capacity + utf8Length(name)
}

/**
 * `value` cut into the fewest chunks that each fit in one cookie under their names, or `undefined`
 * when it needs more than `max`. The value must be ASCII (a sealed value is URL-safe base64), so that
 * a cut never falls inside a character.
 */
export function splitValue(name: string, value: string, max: number): string[] | undefined {
  const chunks: string[] = []
  let at = 0
  while (at < value.length) {
    if (chunks.length === max) return undefined
    const room = MAX_NAME_AND_VALUE_BYTES - utf8Length(chunkName(name, chunks.length))
    chunks.push(value.slice(at, at + room))
    at += room
  }
  return chunks
}

/** Whether `value` fits in one cookie named `name`. */
export function fitsOneCookie(name: string, value: string): boolean {
  return cookieSize(name, value) <= MAX_NAME_AND_VALUE_BYTES
}
