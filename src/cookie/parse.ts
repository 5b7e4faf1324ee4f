/**
 * Reads one cookie's values out of a `Cookie` request header without parsing the others.
 *
 * RFC 6265 section 5.2 (and 4.2.1's `cookie-string`): pairs are separated by `;`, and only space and
 * tab (WSP) around names and values are insignificant. `String.prototype.trim` would also strip
 * Unicode spaces such as U+00A0, reading `\u00A0__Host-session` as `__Host-session`: a way around the
 * cookie prefixes' guarantees. A value wrapped in double quotes (section 4.1.1 allows them) is
 * unwrapped; nothing is percent-decoded, since Starlette never encodes its values.
 */

const SPACE = 0x20
const TAB = 0x09
const EQUALS = 0x3d

/**
 * The value of the last pair named `name`, or `undefined`. The last one wins, as in Starlette
 * (Python's cookie parser keeps the last of repeated names), so both read the same session. The
 * header is walked once, without slicing the pairs it passes over.
 */
export function readCookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined
  let found: string | undefined
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end < 0) end = header.length
    const value = valueIfNamed(header, start, end, name)
    if (value !== undefined) found = value
    start = end + 1
  }
  return found
}

/** Every value sent under `name`, in header order (for tools that show them all). */
export function readCookieValues(header: string | null | undefined, name: string): string[] {
  const values: string[] = []
  if (!header) return values
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end < 0) end = header.length
    const value = valueIfNamed(header, start, end, name)
    if (value !== undefined) values.push(value)
    start = end + 1
  }
  return values
}

/** The value of the pair `header[start, end)` when its name is `name`, else `undefined`. */
function valueIfNamed(header: string, start: number, end: number, name: string): string | undefined {
  let at = skipSpace(header, start, end)
  if (!header.startsWith(name, at)) return undefined
  at = skipSpace(header, at + name.length, end)
  if (header.charCodeAt(at) !== EQUALS || at >= end) return undefined
  let from = skipSpace(header, at + 1, end)
  let to = end
  while (to > from && isSpace(header.charCodeAt(to - 1))) to--
  if (to - from >= 2 && header.charCodeAt(from) === 0x22 && header.charCodeAt(to - 1) === 0x22) {
    from++
    to--
  }
  return header.slice(from, to)
}

function skipSpace(header: string, at: number, end: number): number {
  while (at < end && isSpace(header.charCodeAt(at))) at++
  return at
}

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB
}
