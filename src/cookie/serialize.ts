/** Attributes of the session cookie, already validated by the options. */
export interface CookieAttributes {
  path: string
  /** Seconds; `null` writes no Max-Age, which makes a browser-session cookie. */
  maxAge: number | null
  sameSite: 'lax' | 'strict' | 'none'
  secure: boolean
  domain: string | undefined
  partitioned: boolean
}

/**
 * Writes a `Set-Cookie` value in the order and spelling Starlette uses
 * (`name=value; path=/; Max-Age=N; httponly; samesite=lax; secure; domain=...`), so responses from
 * either side look alike. The value is written raw: percent-encoding it (as Hono's `setCookie` and
 * Express' `res.cookie` do) would turn `+` into `%2B`, which Starlette never decodes.
 */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  let header = `${name}=${value}; path=${attributes.path}; `
  if (attributes.maxAge !== null) header += `Max-Age=${attributes.maxAge}; `
  return header + flags(attributes)
}

/**
 * A `Set-Cookie` value that deletes the cookie: an Expires date in the past (RFC 6265 section
 * 5.3 step 11: an expired cookie is evicted). Name, path and domain must match the cookie set.
 */
export function serializeClearingCookie(name: string, attributes: CookieAttributes): string {
  return `${name}=null; path=${attributes.path}; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; ${flags(attributes)}`
}

function flags(attributes: CookieAttributes): string {
  let flags = `httponly; samesite=${attributes.sameSite}`
  if (attributes.secure) flags += '; secure'
  if (attributes.domain !== undefined) flags += `; domain=${attributes.domain}`
  if (attributes.partitioned) flags += '; partitioned'
  return flags
}
