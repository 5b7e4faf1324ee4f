/**
 * Cross-site request forgery protection, framework-agnostic: pure functions over a request's method,
 * headers and token, and the session's token. Each adapter wraps {@link checkCsrf} in its own shape
 * (`csrfProtection()` in every adapter module). Two independent layers, both required for an unsafe
 * method (OWASP CSRF Prevention Cheat Sheet):
 * 1. the request comes from this origin: `Origin` equal to the request's own origin (or one of
 *    `allowedOrigins`), or else `Sec-Fetch-Site: same-origin` (or `none`, a navigation the user
 *    started); without Fetch Metadata, `Origin: null` and a missing `Origin` are refused;
 * 2. a synchronizer token: a random value kept in the session (`csrfToken(session)` in the form or
 *    page), sent back in the `x-csrf-token` header or the `_csrf` form field, compared in constant time.
 *    `session.regenerate()` (sign-in) drops it, so a page rendered before cannot post after.
 * Safe methods (GET, HEAD, OPTIONS, TRACE) pass untouched: they must not change state.
 */
import { encodeBase64Url } from '#base64'
import { sameSignature } from './codec/signer.ts'
import { ConfigError } from './errors.ts'
import { checkTrustProxy, type TrustProxy } from './proxy.ts'
import { CSRF_KEY, type Session, type SessionData } from './session.ts'

/** The request header that carries the token (for `fetch()` calls and other scripts). */
export const CSRF_HEADER = 'x-csrf-token'
/** The form field that carries the token (for HTML forms). */
export const CSRF_FIELD = '_csrf'

/** Options of `csrfProtection()` in every adapter. */
export interface CsrfOptions {
  /**
   * Origins besides the request's own that may send unsafe requests (a front end on another host),
   * each as `scheme://host[:port]`.
   * @default [] (same origin only)
   * @example { allowedOrigins: ['https://app.example.com'] }
   */
  allowedOrigins?: readonly string[]
  /**
   * Whether to believe `X-Forwarded-Proto` when working out the request's own origin: give the same
   * value as the session's `trustProxy`. Behind a proxy that also rewrites the host, list the public
   * origin in `allowedOrigins` instead.
   * @default false
   */
  trustProxy?: TrustProxy
}

/** {@link CsrfOptions} after validation. */
export interface ResolvedCsrfOptions {
  allowedOrigins: ReadonlySet<string>
  trustProxy: TrustProxy
}

/** What {@link checkCsrf} looks at, as an adapter reads it from its request. */
export interface CsrfRequest {
  method: string
  /** The `Origin` header, if sent. */
  origin: string | undefined
  /** The `Sec-Fetch-Site` header, if sent. */
  secFetchSite: string | undefined
  /** The request's own origin (`https://host:port`), `undefined` without a Host. */
  ownOrigin: string | undefined
  /** The token the request carries (header or form field), if any. */
  token: unknown
}

/** The 403 answer to a request that fails the check, in FastAPI's `{"detail": ...}` shape. */
export interface CsrfRefusal {
  status: 403
  body: { detail: string }
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])
// RFC 6454 section 6.1: scheme "://" host [ ":" port ], no path; "null" is not an origin to allow.
const ORIGIN = /^https?:\/\/[^/?#\s]+$/i
/** 32 random bytes: 256 bits, as base64url 43 characters. */
const TOKEN_BYTES = 32

/** Checks the options once, at setup; throws {@link ConfigError} naming the bad value. */
export function resolveCsrfOptions(options: CsrfOptions = {}): ResolvedCsrfOptions {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('csrfProtection: pass an options object, e.g. { allowedOrigins: [] }')
  for (const name of Object.keys(options)) {
    if (name !== 'allowedOrigins' && name !== 'trustProxy')
      throw new ConfigError(`${name}: not a CSRF option; the options are allowedOrigins, trustProxy`)
  }
  const allowed = options.allowedOrigins ?? []
  if (!Array.isArray(allowed))
    throw new ConfigError('allowedOrigins: must be a list of origins such as ["https://app.example.com"]')
  for (const origin of allowed) {
    if (typeof origin !== 'string' || !ORIGIN.test(origin)) {
      throw new ConfigError(
        `allowedOrigins: ${JSON.stringify(origin)} is not an origin; write scheme://host[:port] with no path, e.g. "https://app.example.com"`,
      )
    }
  }
  return {
    allowedOrigins: new Set(allowed.map((origin: string) => origin.toLowerCase())),
    trustProxy: checkTrustProxy(options.trustProxy ?? false),
  }
}

/** GET, HEAD, OPTIONS and TRACE: methods that must not change state, so need no check (RFC 9110 section 9.2.1). */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase())
}

/**
 * Why the request is not from an allowed origin, or `undefined` when it is. An `Origin` equal to the
 * request's own or an allowed one passes; else Fetch Metadata decides: `Sec-Fetch-Site: same-origin`
 * (or `none`, a navigation the user started) passes, even with `Origin: null`, which Chromium sends
 * for a same-origin form posted from a page with `Referrer-Policy: no-referrer` (browsers set
 * `Sec-Fetch-*` themselves, scripts cannot). Without Fetch Metadata, a missing or `"null"` Origin
 * (sandboxed frames, privacy redirects, non-browser clients) is refused.
 */
export function originProblem(request: CsrfRequest, options: ResolvedCsrfOptions): string | undefined {
  const origin = request.origin?.toLowerCase()
  if (origin !== undefined && origin !== 'null') {
    if (origin === request.ownOrigin || options.allowedOrigins.has(origin)) return undefined
  }
  // Fetch Metadata (W3C): browsers that send it always send it.
  const site = request.secFetchSite?.toLowerCase()
  if (site === 'same-origin' || site === 'none') return undefined
  if (site !== undefined) return `the request is ${site} (Sec-Fetch-Site)`
  if (origin === 'null') return 'the request has an opaque Origin ("null")'
  if (origin !== undefined) return `the request comes from another origin (${request.origin})`
  return 'the request has no Origin header'
}

/**
 * The session's CSRF token, created (32 random bytes, base64url) when it has none; put it in forms
 * (`<input type="hidden" name="_csrf">`) or hand it to scripts for the `x-csrf-token` header. Writes
 * the session when it creates one. With a store engine, `await session.load()` first.
 * @example html`<input type="hidden" name="_csrf" value="${csrfToken(c.var.session)}">`
 */
export function csrfToken<Data extends SessionData>(session: Session<Data>): string {
  const s = session as unknown as Session<SessionData>
  const token = s.get(CSRF_KEY)
  if (typeof token === 'string' && token.length > 0) return token
  const fresh = encodeBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)))
  s.set(CSRF_KEY, fresh)
  return fresh
}

/** Whether `given` is the session's token, compared in constant time; a session without one matches nothing. */
export function verifyCsrfToken<Data extends SessionData>(session: Session<Data>, given: unknown): boolean {
  const expected = (session as unknown as Session<SessionData>).get(CSRF_KEY)
  if (typeof expected !== 'string' || expected.length === 0 || typeof given !== 'string') return false
  return sameSignature(given, expected)
}

/**
 * The whole check: `undefined` when the request may go on, else the 403 answer. Safe methods pass
 * without touching the session; an unsafe one needs an allowed origin and the session's token. The
 * session must be loaded (adapters `await session.load()` first).
 */
export function checkCsrf<Data extends SessionData>(
  request: CsrfRequest,
  session: Session<Data>,
  options: ResolvedCsrfOptions,
): CsrfRefusal | undefined {
  if (isSafeMethod(request.method)) return undefined
  const problem = originProblem(request, options)
  if (problem !== undefined) return refusal(problem)
  if (!verifyCsrfToken(session, request.token)) {
    return refusal(
      request.token === undefined
        ? `no CSRF token (send the ${CSRF_HEADER} header or the ${CSRF_FIELD} form field)`
        : 'the CSRF token does not match this session (a page from before sign-in?)',
    )
  }
  return undefined
}

/** Whether a body of this content type is a form, whose `_csrf` field an adapter may read. */
export function isFormContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase()
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data'
}

function refusal(problem: string): CsrfRefusal {
  return { status: 403, body: { detail: `CSRF check failed: ${problem}.` } }
}
