/**
 * The session options: what each one means ({@link SessionOptions}), what they become once checked
 * ({@link ResolvedOptions}), their defaults and their names. `resolve-options.ts` applies and checks
 * them; `cookie/attribute-rules.ts` holds the cookie name and attribute rules.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import type { Algorithm } from './codec/signer.ts'
import { starlette } from './codec/starlette.ts'
import type { BadData } from './errors.ts'
import type { Logger } from './logger.ts'
import { COOKIE_HABITS, type OptionSet } from './option-names.ts'
import type { TrustProxy } from './proxy.ts'

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
