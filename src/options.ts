import type { StandardSchemaV1 } from '@standard-schema/spec'
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import type { Algorithm } from './codec/signer.ts'
import { starlette } from './codec/starlette.ts'
import { MAX_AGE_LIMIT_SECONDS } from './cookie/limits.ts'
import type { BadData } from './errors.ts'
import { ConfigError } from './errors.ts'

/** Options of a session engine, named after Starlette's `SessionMiddleware` arguments in camelCase. */
export interface SessionOptions {
  /**
   * The secret that signs cookies (Starlette's `secret_key`), at least 32 characters; or a list for
   * key rotation: the first signs, every one verifies, and a cookie verified by an older key is
   * re-issued with the first on the next response. Keys after the first may be shorter, so an app can
   * move off a weak secret without logging anyone out.
   * @example { secretKey: [process.env.SESSION_SECRET, process.env.OLD_SESSION_SECRET] }
   */
  secretKey: string | readonly string[]
  /** Cookie name. @default 'session' */
  sessionCookie?: string
  /**
   * Seconds the session lives after it was last written. `null` makes a browser-session cookie (no
   * Max-Age), which the server then accepts at any age, as Starlette does. At most 400 days.
   * @default 1209600 (14 days)
   */
  maxAge?: number | null
  /** Cookie path. @default '/' */
  path?: string
  /** SameSite attribute. `'none'` requires `httpsOnly`. @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none'
  /** Adds the Secure attribute: the browser sends the cookie over HTTPS only. @default false */
  httpsOnly?: boolean
  /** Domain attribute, to share the cookie with subdomains. @default undefined (host-only cookie) */
  domain?: string
  /** Partitioned attribute (CHIPS), for cookies in third-party contexts; requires `httpsOnly`. @default false */
  partitioned?: boolean
  /**
   * How session data becomes a cookie value: a format such as `starlette()`, its digest given there
   * (`starlette({ algorithm: 'sha256' })`), optionally wrapped in `cached()` so a returning cookie
   * skips verification. Cookie sessions only.
   * @default cached(starlette()) (Starlette's cookie, HMAC-SHA1, as FastAPI reads and writes it)
   * @example { format: cached(starlette({ algorithm: 'sha256' })) } // no Python app reads the cookie
   */
  format?: CookieFormat
  /**
   * HMAC digest of the cookie's signature. For store sessions, the digest of the signed session id.
   * For cookie sessions, a shorthand kept for existing configurations (deprecated there): `algorithm:
   * 'sha256'` is `format: cached(starlette({ algorithm: 'sha256' }))`; with a `format`, give the
   * digest to the format instead.
   * @default 'sha1'
   */
  algorithm?: Algorithm
  /**
   * Sliding expiry: re-issue an unchanged cookie once it is older than this many seconds, so an
   * active user's session keeps living without a write on every request. `null` re-issues only when
   * the session changes, as Starlette 1.x does (expiry counts from the last write); older Starlette,
   * such as Debian's 0.26, re-writes a non-empty session on every response, which `refreshAfter: 0` mimics.
   * @default null
   * @example { maxAge: 86400, refreshAfter: 3600 } // a day of inactivity ends the session
   */
  refreshAfter?: number | null
  /** Seconds a cookie's timestamp may be in the future, for servers whose clocks differ. @default 60 */
  clockSkew?: number
  /** Called for each cookie that failed verification (tampered, expired...); the request goes on with an empty session. */
  onInvalid?: (error: BadData) => void
  /** The clock, in milliseconds since the epoch; inject one in tests. @default Date.now */
  now?: () => number
  /**
   * A Standard Schema (zod 4, valibot, arktype...) that a verified cookie's data must pass. Data that
   * fails becomes an empty session and `onInvalid` receives an `InvalidSessionData` error, so the
   * handler never sees data of the wrong shape. Validation only checks: the data is kept as it came
   * (no transforms, unknown keys stay). It runs synchronously, on the request's first session use; a
   * schema that validates asynchronously throws `ConfigError` there.
   * @default undefined (no validation)
   * @example { schema: z.object({ user: z.string().optional() }) }
   */
  schema?: StandardSchemaV1
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  secretKey: readonly string[]
  sessionCookie: string
  maxAge: number | null
  path: string
  sameSite: 'lax' | 'strict' | 'none'
  httpsOnly: boolean
  domain: string | undefined
  partitioned: boolean
  /** The cookie format, from `format` or the `algorithm` shorthand. */
  format: CookieFormat
  /** The digest of store session-id signatures. */
  algorithm: Algorithm
  refreshAfter: number | null
  clockSkew: number
  onInvalid: ((error: BadData) => void) | undefined
  now: () => number
  /** Optional so that engines building their own resolved options need not name it. */
  schema?: StandardSchemaV1 | undefined
}

/** The defaults, secure where Starlette's are and compatible with it everywhere. */
export const DEFAULTS = Object.freeze({
  sessionCookie: 'session',
  maxAge: 14 * 24 * 60 * 60,
  path: '/',
  sameSite: 'lax',
  httpsOnly: false,
  partitioned: false,
  algorithm: 'sha1',
  /** Starlette's cookie (HMAC-SHA1), a returning cookie's verification remembered. */
  format: cached(starlette()),
  refreshAfter: null,
  clockSkew: 60,
} as const)

/** Shortest accepted signing secret: 32 characters carry at least 128 bits when random hex or base64. */
export const MIN_SECRET_LENGTH = 32

// RFC 6265 section 4.1.1: cookie-name is an RFC 2616 token (no CTLs, spaces or separators).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 6265 section 4.1.1: path-value is any CHAR except CTLs or ";".
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/
// RFC 6265 section 4.1.2.3 with RFC 1034 labels; a leading dot is ignored by browsers.
const DOMAIN =
  /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

const HOW_TO_MAKE_A_SECRET = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`

/** Applies defaults and checks every option; throws {@link ConfigError} naming the problem and the fix. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('options: pass an object with at least secretKey')
  const resolved: ResolvedOptions = {
    secretKey: checkSecrets(options.secretKey),
    sessionCookie: options.sessionCookie ?? DEFAULTS.sessionCookie,
    maxAge: options.maxAge === undefined ? DEFAULTS.maxAge : options.maxAge,
    path: options.path ?? DEFAULTS.path,
    sameSite: options.sameSite ?? DEFAULTS.sameSite,
    httpsOnly: options.httpsOnly ?? DEFAULTS.httpsOnly,
    domain: options.domain,
    partitioned: options.partitioned ?? DEFAULTS.partitioned,
    format: resolveFormat(options),
    algorithm: options.algorithm ?? DEFAULTS.algorithm,
    refreshAfter: options.refreshAfter === undefined ? DEFAULTS.refreshAfter : options.refreshAfter,
    clockSkew: options.clockSkew ?? DEFAULTS.clockSkew,
    onInvalid: options.onInvalid,
    now: options.now ?? Date.now,
    schema: options.schema,
  }
  checkCookie(resolved)
  checkLifetime(resolved)
  checkSchema(resolved)
  return resolved
}

function checkSecrets(secretKey: unknown): readonly string[] {
  const secrets = typeof secretKey === 'string' ? [secretKey] : secretKey
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new ConfigError(
      `secretKey: missing; pass a random string of at least ${MIN_SECRET_LENGTH} characters (${HOW_TO_MAKE_A_SECRET})`,
    )
  }
  secrets.forEach((secret: unknown, index) => {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new ConfigError(
        `secretKey[${index}]: must be a non-empty string, got ${typeof secret === 'string' ? 'an empty string' : typeof secret}`,
      )
    }
  })
  const first = secrets[0] as string
  if (first.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `secretKey: the signing secret is ${first.length} characters, shorter than ${MIN_SECRET_LENGTH}; ${HOW_TO_MAKE_A_SECRET}. ` +
        'To keep accepting cookies signed with a short old secret, list it after the new one.',
    )
  }
  return Object.freeze([...secrets] as string[])
}

/** The `format` option, or the Starlette format the `algorithm` shorthand names. */
function resolveFormat({ format, algorithm }: SessionOptions): CookieFormat {
  if (format === undefined) {
    if (algorithm === undefined || algorithm === DEFAULTS.algorithm) return DEFAULTS.format
    return cached(starlette({ algorithm }))
  }
  if (typeof format !== 'object' || format === null || typeof format.create !== 'function') {
    throw new ConfigError(
      'format: not a cookie format; pass one such as cached(starlette()) or starlette({ algorithm: "sha256" })',
    )
  }
  if (algorithm !== undefined) {
    throw new ConfigError(
      `algorithm: ${JSON.stringify(algorithm)} next to a format; give the digest to the format instead, e.g. format: starlette({ algorithm: ${JSON.stringify(algorithm)} })`,
    )
  }
  return format
}

function checkCookie(o: ResolvedOptions): void {
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
  if (o.sessionCookie.startsWith('__Secure-') && !o.httpsOnly) {
    throw new ConfigError(
      `sessionCookie: the __Secure- prefix requires httpsOnly: true (RFC 6265bis section 4.1.3.1)`,
    )
  }
  if (o.sessionCookie.startsWith('__Host-') && (!o.httpsOnly || o.path !== '/' || o.domain !== undefined)) {
    throw new ConfigError(
      'sessionCookie: the __Host- prefix requires httpsOnly: true, path "/" and no domain (RFC 6265bis section 4.1.3.2)',
    )
  }
}

function checkLifetime(o: ResolvedOptions): void {
  if (
    o.maxAge !== null &&
    !(Number.isInteger(o.maxAge) && o.maxAge > 0 && o.maxAge <= MAX_AGE_LIMIT_SECONDS)
  ) {
    throw new ConfigError(
      `maxAge: ${String(o.maxAge)} must be a whole number of seconds from 1 to ${MAX_AGE_LIMIT_SECONDS} (400 days, the most browsers keep a cookie), or null for a browser-session cookie`,
    )
  }
  if (o.refreshAfter !== null) {
    if (!(Number.isInteger(o.refreshAfter) && o.refreshAfter >= 0)) {
      throw new ConfigError(
        `refreshAfter: ${String(o.refreshAfter)} must be a whole number of seconds, or null`,
      )
    }
    if (o.maxAge !== null && o.refreshAfter >= o.maxAge) {
      throw new ConfigError(
        `refreshAfter: ${o.refreshAfter} must be less than maxAge (${o.maxAge}), or the cookie expires before it is refreshed`,
      )
    }
  }
  if (!(Number.isFinite(o.clockSkew) && o.clockSkew >= 0)) {
    throw new ConfigError(`clockSkew: ${String(o.clockSkew)} must be a number of seconds, 0 or more`)
  }
  if (typeof o.now !== 'function')
    throw new ConfigError('now: must be a function returning milliseconds since the epoch')
}

function checkSchema(o: ResolvedOptions): void {
  if (o.schema !== undefined && typeof o.schema?.['~standard']?.validate !== 'function') {
    throw new ConfigError(
      'schema: not a Standard Schema (no ~standard.validate); pass a zod 4, valibot or arktype schema',
    )
  }
}
