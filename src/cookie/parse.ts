/**
 * Reads one cookie's values out of a `Cookie` request header without parsing the others.
 */

/**
 * Every value sent under `name`, in header order. RFC 6265 section 5.4 has browsers send the cookie
 * with the longest path first, and a name may repeat (cookies set for several paths or domains), so
 * callers try each in turn. A value wrapped in double quotes (RFC 6265 section 4.1.1 allows them)
 * is unwrapped; nothing is percent-decoded, since Starlette never encodes its values.
 */
export function readCookieValues(header: string | null | undefined, name: string): string[] {
  const values: string[] = []
  if (!header) return values
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end < 0) end = header.length
    const eq = header.indexOf('=', start)
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim()
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
      values.push(value)
    }
    start = end + 1
  }
  return values
}
