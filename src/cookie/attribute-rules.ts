/**
 * The rules a session cookie's name and attributes must meet for browsers to keep it, checked once
 * at setup, each next to the RFC clause it comes from.
 */
import { ConfigError } from '../errors.ts'
import type { ResolvedOptions } from '../options.ts'

/** The options that become the cookie's name and attributes (`serialize.ts` writes them). */
export type CookieOptions = Pick<
  ResolvedOptions,
  'sessionCookie' | 'path' | 'domain' | 'httpsOnly' | 'sameSite' | 'partitioned'
>

// RFC 6265 section 4.1.1: cookie-name is an RFC 2616 token (no CTLs, spaces or separators).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 6265 section 4.1.1: path-value is any CHAR except CTLs or ";".
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/
// RFC 6265 section 4.1.2.3 with RFC 1034 labels; a leading dot is ignored by browsers.
const DOMAIN =
  /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

/** Throws {@link ConfigError} for a cookie name or attribute that browsers would refuse or drop. */
export function checkCookieAttributes(o: CookieOptions): void {
  if (!TOKEN.test(o.sessionCookie)) {
    throw new ConfigError(
      `sessionCookie: ${JSON.stringify(o.sessionCookie)} is not a valid cookie name (RFC 6265 section 4.1.1: letters, digits and !#$%&'*+-.^_\`|~ only)`,
    )
  }
  if (!PATH.test(o.path)) {
    throw new ConfigError(
      `path: ${JSON.stringify(o.path)} must start with "/" and contain no control characters or ";" (RFC 6265 section 4.1.1)`,
    )
  }
  if (o.domain !== undefined && !DOMAIN.test(o.domain)) {
    throw new ConfigError(
      `domain: ${JSON.stringify(o.domain)} is not a host name such as "example.com" (RFC 6265 section 4.1.2.3)`,
    )
  }
  if (o.httpsOnly !== true && o.httpsOnly !== false && o.httpsOnly !== 'auto') {
    throw new ConfigError(`httpsOnly: ${JSON.stringify(o.httpsOnly)} must be true, false or "auto"`)
  }
  if (o.httpsOnly === 'auto') checkAutoSecure(o)
  if (!['lax', 'strict', 'none'].includes(o.sameSite)) {
    throw new ConfigError(`sameSite: ${JSON.stringify(o.sameSite)} is not one of "lax", "strict", "none"`)
  }
  // RFC 6265bis section 5.7 step 15: a SameSite=None cookie without Secure is rejected by browsers.
  if (o.sameSite === 'none' && !o.httpsOnly) {
    throw new ConfigError(
      'sameSite: "none" requires httpsOnly: true (browsers drop SameSite=None cookies without Secure)',
    )
  }
  if (o.partitioned && !o.httpsOnly) {
    throw new ConfigError('partitioned: true requires httpsOnly: true (CHIPS cookies must be Secure)')
  }
  // RFC 6265bis section 4.1.3: cookie name prefixes.
  // Browsers match the prefixes case-insensitively (RFC 6265bis section 5.7 steps 20-21), then drop a
  // cookie that breaks their rules: `__HOST-session` must meet them as `__Host-session` does.
  const name = o.sessionCookie.toLowerCase()
  if (name.startsWith('__secure-') && !o.httpsOnly) {
    throw new ConfigError(
      `sessionCookie: the __Secure- prefix requires httpsOnly: true (RFC 6265bis section 4.1.3.1)`,
    )
  }
  if (name.startsWith('__host-') && (!o.httpsOnly || o.path !== '/' || o.domain !== undefined)) {
    throw new ConfigError(
      'sessionCookie: the __Host- prefix requires httpsOnly: true, path "/" and no domain (RFC 6265bis section 4.1.3.2)',
    )
  }
}

/**
 * `httpsOnly: 'auto'` serves the cookie without Secure over plain HTTP. A cookie that browsers accept
 * only with Secure would then be dropped without a word (RFC 6265bis section 5.7: SameSite=None
 * without Secure, the `__Secure-`/`__Host-` prefixes; CHIPS for Partitioned): such a cookie only ever
 * works over HTTPS, so it must say `httpsOnly: true` (browsers treat http://localhost as secure, so
 * development on localhost keeps working).
 */
function checkAutoSecure(o: CookieOptions): void {
  const name = o.sessionCookie.toLowerCase()
  const needs =
    o.sameSite === 'none'
      ? 'sameSite: "none"'
      : o.partitioned
        ? 'partitioned: true'
        : name.startsWith('__secure-') || name.startsWith('__host-')
          ? `the cookie name ${JSON.stringify(o.sessionCookie)}`
          : undefined
  if (needs !== undefined) {
    throw new ConfigError(
      `httpsOnly: "auto" with ${needs}: browsers accept that cookie only with Secure, so over HTTP it would be dropped; use httpsOnly: true (RFC 6265bis section 5.7)`,
    )
  }
}
