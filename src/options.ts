import type { StandardSchemaV1 } from '@standard-schema/spec'
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import type { Algorithm } from './codec/signer.ts'
import { starlette } from './codec/starlette.ts'
import { MAX_AGE_LIMIT_SECONDS } from './cookie/limits.ts'
import type { BadData } from './errors.ts'
import { ConfigError } from './errors.ts'
import { consoleLogger, type Logger } from './logger.ts'
import { COOKIE_HABITS, checkOptionNames, type OptionSet } from './option-names.ts'
import { checkTrustProxy, type TrustProxy } from './proxy.ts'
import { checkSecretKey } from './secret-key.ts'

export { MIN_SECRET_LENGTH } from './secret-key.ts'

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
  /**
   * Sign with a secret shorter than 32 characters: only to share sessions with an existing app whose
   * secret is short (a FastAPI `secret_key`), until both move to a strong one. Warns at start-up.
   * Whoever guesses a weak secret can forge any session.
   * @default false
   * @example { secretKey: process.env.FASTAPI_SECRET_KEY, allowWeakSecret: true } // TODO: rotate
   */
  allowWeakSecret?: boolean
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
  /**
   * Adds the Secure attribute: the browser sends the cookie over HTTPS only. `'auto'` adds it when
   * the request came over HTTPS: directly, or through a proxy that `trustProxy` says to believe (for
   * an app served over HTTP in development and over HTTPS in production). Cookies that are only valid
   * with Secure (`sameSite: 'none'`, `partitioned`, a `__Secure-`/`__Host-` name) need `true`.
   * @default false
   * @example { httpsOnly: 'auto', trustProxy: 1 } // behind one TLS-terminating proxy
   */
  httpsOnly?: boolean | 'auto'
  /**
   * Whether to believe `X-Forwarded-Proto` when telling if a request came over HTTPS (for
   * `httpsOnly: 'auto'`): `true` (every hop), a number of proxy hops, or a function of the peer's
   * address. tessera applies this itself in every adapter, whatever the framework's own setting
   * (Express `trust proxy`, Koa `app.proxy`, Fastify `trustProxy`). See {@link TrustProxy}.
   * @default false (only the connection itself counts)
   */
  trustProxy?: TrustProxy
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
  /**
   * Seconds after sign-in (the session's first cookie, or its last `regenerate()`) at which a cookie
   * session ends however active it is (OWASP "absolute timeout"): with `refreshAfter`, a cookie session
   * would otherwise slide forever. The start is kept in the session under `_tessera.created` and
   * checked on every read. `null`: no absolute limit, as Starlette.
   * @default null
   * @example { maxAge: 86400, refreshAfter: 3600, absoluteTimeout: 30 * 86400 }
   */
  absoluteTimeout?: number | null
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
  /**
   * Where tessera reports what it answers for itself: a store outage (503), a session too large for
   * its cookie (500), a change made after the response was sent. `console` fits, as do pino and winston.
   * @default one line per incident on the console, prefixed `tessera:`
   * @example { logger: pino() }
   */
  logger?: Logger
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  secretKey: readonly string[]
  sessionCookie: string
  maxAge: number | null
  path: string
  sameSite: 'lax' | 'strict' | 'none'
  httpsOnly: boolean | 'auto'
  /** Optional so that engines building their own resolved options need not name it; `undefined` is `false`. */
  trustProxy?: TrustProxy
  domain: string | undefined
  partitioned: boolean
  /** The cookie format, from `format` or the `algorithm` shorthand. */
  format: CookieFormat
  /** The digest of store session-id signatures. */
  algorithm: Algorithm
  refreshAfter: number | null
  absoluteTimeout: number | null
  clockSkew: number
  onInvalid: ((error: BadData) => void) | undefined
  now: () => number
  /** Optional so that engines building their own resolved options need not name it. */
  schema?: StandardSchemaV1 | undefined
  logger: Logger
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

// RFC 6265 section 4.1.1: cookie-name is an RFC 2616 token (no CTLs, spaces or separators).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 6265 section 4.1.1: path-value is any CHAR except CTLs or ";".
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/
// RFC 6265 section 4.1.2.3 with RFC 1034 labels; a leading dot is ignored by browsers.
const DOMAIN =
  /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

/**
 * Every option name, once: `resolveOptions` refuses any other. The `satisfies` makes a new field of
 * {@link SessionOptions} fail to compile until it is listed here.
 */
const SESSION_OPTION_NAMES = {
  secretKey: true,
  allowWeakSecret: true,
  sessionCookie: true,
  maxAge: true,
  path: true,
  sameSite: true,
  httpsOnly: true,
  trustProxy: true,
  domain: true,
  partitioned: true,
  algorithm: true,
  refreshAfter: true,
  absoluteTimeout: true,
  clockSkew: true,
  onInvalid: true,
  now: true,
  schema: true,
  format: true,
  logger: true,
} as const satisfies Record<keyof SessionOptions, true>

const known: ReadonlySet<string> = new Set(Object.keys(SESSION_OPTION_NAMES))

/** The session options: names and habits; `resolveOptions` refuses a name not in it. */
export const SESSION_OPTIONS: OptionSet = Object.freeze({
  noun: 'tessera option',
  known,
  habits: COOKIE_HABITS,
})

/** Applies defaults and checks every option; throws {@link ConfigError} naming the problem and the fix. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('options: pass an object with at least secretKey')
  checkOptionNames(options, SESSION_OPTIONS)
  const logger = options.logger ?? consoleLogger
  checkLogger(logger)
  const resolved: ResolvedOptions = {
    secretKey: checkSecretKey(options.secretKey, options.allowWeakSecret, logger),
    sessionCookie: options.sessionCookie ?? DEFAULTS.sessionCookie,
    maxAge: options.maxAge === undefined ? DEFAULTS.maxAge : options.maxAge,
    path: options.path ?? DEFAULTS.path,
    sameSite: options.sameSite ?? DEFAULTS.sameSite,
    httpsOnly: options.httpsOnly ?? DEFAULTS.httpsOnly,
    trustProxy: checkTrustProxy(options.trustProxy ?? false),
    domain: options.domain,
    partitioned: options.partitioned ?? DEFAULTS.partitioned,
    format: resolveFormat(options),
    algorithm: options.algorithm ?? DEFAULTS.algorithm,
    refreshAfter: options.refreshAfter === undefined ? DEFAULTS.refreshAfter : options.refreshAfter,
    absoluteTimeout: options.absoluteTimeout ?? null,
    clockSkew: options.clockSkew ?? DEFAULTS.clockSkew,
    onInvalid: options.onInvalid,
    now: options.now ?? Date.now,
    schema: options.schema,
    logger,
  }
  checkCookie(resolved)
  checkLifetime(resolved)
  checkSchema(resolved)
  return resolved
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
function checkAutoSecure(o: ResolvedOptions): void {
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

function checkLifetime(o: ResolvedOptions): void {
  if (
    o.maxAge !== null &&
    !(Number.isInteger(o.maxAge) && o.maxAge > 0 && o.maxAge <= MAX_AGE_LIMIT_SECONDS)
  ) {
    throw new ConfigError(
      `maxAge: ${String(o.maxAge)} must be a whole number of seconds from 1 to ${MAX_AGE_LIMIT_SECONDS} (400 days, the most browsers keep a cookie), or null for a browser-session cookie${millisecondsHint('maxAge', o.maxAge)}`,
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
  if (o.absoluteTimeout !== null && !(Number.isInteger(o.absoluteTimeout) && o.absoluteTimeout > 0)) {
    throw new ConfigError(
      `absoluteTimeout: ${String(o.absoluteTimeout)} must be a whole number of seconds above 0, or null${millisecondsHint('absoluteTimeout', o.absoluteTimeout)}`,
    )
  }
  if (!(Number.isFinite(o.clockSkew) && o.clockSkew >= 0)) {
    throw new ConfigError(`clockSkew: ${String(o.clockSkew)} must be a number of seconds, 0 or more`)
  }
  if (typeof o.now !== 'function')
    throw new ConfigError('now: must be a function returning milliseconds since the epoch')
}

function checkLogger(logger: Logger): void {
  if (typeof logger?.warn !== 'function' || typeof logger?.error !== 'function') {
    throw new ConfigError('logger: must have warn(message) and error(message) methods, as console does')
  }
}

function checkSchema(o: ResolvedOptions): void {
  if (o.schema !== undefined && typeof o.schema?.['~standard']?.validate !== 'function') {
    throw new ConfigError(
      'schema: not a Standard Schema (no ~standard.validate); pass a zod 4, valibot or arktype schema',
    )
  }
}

/**
 * express-session and cookie-session count `maxAge` in milliseconds: a value too large in seconds
 * that is whole in milliseconds most likely came from there.
 */
export function millisecondsHint(option: string, value: number): string {
  const seconds = value / 1000
  return value > MAX_AGE_LIMIT_SECONDS && Number.isInteger(seconds) && seconds <= MAX_AGE_LIMIT_SECONDS
    ? `; ${value} looks like milliseconds (express-session, cookie-session): in seconds that is ${option}: ${seconds}`
    : ''
}
