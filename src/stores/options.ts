import { MAX_AGE_LIMIT_SECONDS } from '../cookie/limits.ts'
import { ConfigError } from '../errors.ts'
import {
  COOKIE_HABITS,
  checkOptionNames,
  nestedCookieAdvice,
  type OptionSet,
  remove,
} from '../option-names.ts'
import { type ResolvedOptions, SESSION_OPTIONS, type SessionOptions } from '../options.ts'
import { millisecondsHint, resolveOptions } from '../resolve-options.ts'
import type { Store } from './store.ts'

/** Cookie-session options a store engine replaces with its own lifetime settings. */
/** Cookie-engine options a store engine has no use for or replaces: its lifetime is its own, its cookie holds an id. */
const COOKIE_ONLY = ['maxAge', 'refreshAfter', 'clockSkew', 'absoluteTimeout', 'format'] as const

/**
 * Options of a store-backed session engine: the cookie options of {@link SessionOptions} (secret,
 * name, path, sameSite...) plus the store and the session lifetime. `maxAge` and `refreshAfter` do
 * not apply: the lifetime is set by `idleTimeout` and `absoluteTimeout` instead.
 */
export interface StoreEngineOptions extends Omit<SessionOptions, (typeof COOKIE_ONLY)[number]> {
  /** Where sessions live: `memoryStore()`, `sqliteStore()`, `redisStore()`, `postgresStore()` or your own. */
  store: Store
  /**
   * Seconds of inactivity after which a session ends (OWASP "idle timeout").
   * @default 1209600 (14 days)
   */
  idleTimeout?: number
  /**
   * Seconds after its creation (or its last `regenerate()`) at which a session ends however active
   * it is (OWASP "absolute timeout"). Also the Max-Age of persistent cookies. At most 400 days.
   * @default 2592000 (30 days)
   */
  absoluteTimeout?: number
  /**
   * Sliding expiry without a write per request: an unchanged session's idle expiry is pushed back
   * only once it was last pushed at least this many seconds ago. Must be less than `idleTimeout`.
   * @default min(3600, idleTimeout / 10)
   */
  touchAfter?: number
  /** Milliseconds a store call may take before the request fails with `StoreUnavailable`. @default 2000 */
  timeout?: number
  /**
   * The session key holding the signed-in user's id. A session with a string or number there is in
   * that user's index: `listSessions(userId)`, `revokeAll(userId)`.
   * @default 'userId'
   */
  userKey?: string
  /**
   * Whether cookies are persistent (Max-Age) unless `session.setPersistent(false)` was called;
   * `false` makes browser-session cookies unless `setPersistent(true)` ("remember me").
   * @default true
   */
  persistent?: boolean
}

/** Lifetime settings after defaults and validation, in seconds except `timeout` (milliseconds). */
export interface StoreSettings {
  store: Store
  idleTimeout: number
  absoluteTimeout: number
  touchAfter: number
  timeout: number
  userKey: string
  persistent: boolean
}

/** The defaults of {@link StoreEngineOptions}. */
export const STORE_DEFAULTS = Object.freeze({
  idleTimeout: 14 * 24 * 60 * 60,
  absoluteTimeout: 30 * 24 * 60 * 60,
  timeout: 2000,
  userKey: 'userId',
  persistent: true,
} as const)

/**
 * The store engine's own option names, once; with the session options but {@link COOKIE_ONLY}, the
 * names `resolveStoreOptions` accepts. The `satisfies` makes a new field fail to compile until listed.
 */
const STORE_OPTION_NAMES = {
  store: true,
  idleTimeout: true,
  absoluteTimeout: true,
  touchAfter: true,
  timeout: true,
  userKey: true,
  persistent: true,
} as const satisfies Record<
  Exclude<keyof StoreEngineOptions, Exclude<keyof SessionOptions, (typeof COOKIE_ONLY)[number]>>,
  true
>

const LIFETIME =
  'a store engine’s lifetime is set by idleTimeout (seconds without a request) and absoluteTimeout (seconds after sign-in, also the cookie’s Max-Age)'

/** The store engine options: names and habits; `resolveStoreOptions` refuses a name not in it. */
export const STORE_OPTIONS: OptionSet = Object.freeze({
  noun: 'store engine option',
  known: new Set([
    ...[...SESSION_OPTIONS.known].filter((name) => !(COOKIE_ONLY as readonly string[]).includes(name)),
    ...Object.keys(STORE_OPTION_NAMES),
  ]),
  habits: Object.freeze({
    ...COOKIE_HABITS,
    maxAge: { advice: () => LIFETIME },
    format: { advice: () => 'a store engine’s cookie holds only a signed id; format is for cookie sessions' },
    expires: { advice: () => LIFETIME },
    ttl: { use: 'idleTimeout', because: 'seconds without a request before the session ends' },
    refreshAfter: { use: 'touchAfter', because: 'how often an unchanged session’s expiry is pushed back' },
    rolling: { use: 'touchAfter', because: 'sessions slide; touchAfter sets how often the store is told' },
    clockSkew: remove('a store engine’s cookie holds no timestamp'),
    cookie: nestedCookieAdvice('absoluteTimeout'),
    cookieOptions: nestedCookieAdvice('absoluteTimeout'),
  }),
})

/** Checks every option; throws {@link ConfigError} naming the problem and the fix. */
export function resolveStoreOptions(options: StoreEngineOptions): {
  cookie: ResolvedOptions
  settings: StoreSettings
} {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('options: pass an object with at least secretKey and store')
  checkOptionNames(options, STORE_OPTIONS)
  const store = options.store
  for (const method of ['get', 'set', 'destroy'] as const) {
    if (typeof store?.[method] !== 'function') {
      throw new ConfigError(
        `store: missing or has no ${method}() method; pass a store such as memoryStore() from 'tessera-session/stores'`,
      )
    }
  }
  const idleTimeout = options.idleTimeout ?? STORE_DEFAULTS.idleTimeout
  const absoluteTimeout = options.absoluteTimeout ?? STORE_DEFAULTS.absoluteTimeout
  const touchAfter = options.touchAfter ?? Math.min(3600, Math.floor(idleTimeout / 10))
  const settings: StoreSettings = {
    store,
    idleTimeout,
    absoluteTimeout,
    touchAfter,
    timeout: options.timeout ?? STORE_DEFAULTS.timeout,
    userKey: options.userKey ?? STORE_DEFAULTS.userKey,
    persistent: options.persistent ?? STORE_DEFAULTS.persistent,
  }
  checkLifetime(settings)
  // The cookie options are checked by the core; the cookie lives as long as the session can.
  const cookie = resolveOptions({ ...cookieOptions(options), maxAge: absoluteTimeout, refreshAfter: null })
  return { cookie, settings }
}

/** The options that are the cookie's, without the store engine's own. */
function cookieOptions(options: StoreEngineOptions): SessionOptions {
  const cookie: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(options))
    if (!Object.hasOwn(STORE_OPTION_NAMES, name)) cookie[name] = value
  return cookie as unknown as SessionOptions
}

function checkLifetime(s: StoreSettings): void {
  const seconds = (name: string, value: number, min: number) => {
    if (!(Number.isInteger(value) && value >= min)) {
      throw new ConfigError(`${name}: ${String(value)} must be a whole number of seconds, ${min} or more`)
    }
  }
  seconds('idleTimeout', s.idleTimeout, 1)
  seconds('absoluteTimeout', s.absoluteTimeout, 1)
  seconds('touchAfter', s.touchAfter, 0)
  if (s.absoluteTimeout > MAX_AGE_LIMIT_SECONDS) {
    throw new ConfigError(
      `absoluteTimeout: ${s.absoluteTimeout} is over ${MAX_AGE_LIMIT_SECONDS} seconds (400 days, the most browsers keep a cookie)${millisecondsHint('absoluteTimeout', s.absoluteTimeout)}`,
    )
  }
  if (s.idleTimeout > s.absoluteTimeout) {
    throw new ConfigError(
      `idleTimeout: ${s.idleTimeout} is longer than absoluteTimeout (${s.absoluteTimeout}); make it shorter, or raise absoluteTimeout${millisecondsHint('idleTimeout', s.idleTimeout)}`,
    )
  }
  if (s.touchAfter >= s.idleTimeout) {
    throw new ConfigError(
      `touchAfter: ${s.touchAfter} must be less than idleTimeout (${s.idleTimeout}), or sessions expire before they are touched`,
    )
  }
  if (!(Number.isFinite(s.timeout) && s.timeout > 0)) {
    throw new ConfigError(`timeout: ${String(s.timeout)} must be a number of milliseconds above 0`)
  }
  if (typeof s.userKey !== 'string' || s.userKey.length === 0) {
    throw new ConfigError('userKey: must be a non-empty string, the session key that holds the user id')
  }
  if (typeof s.persistent !== 'boolean') {
    throw new ConfigError(`persistent: ${String(s.persistent)} must be true or false`)
  }
}
