/**
 * `resolveOptions`: the session options with their defaults applied, each checked once at setup,
 * loudly (a {@link ConfigError} naming the option, the bad value and the fix).
 */
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import { starlette } from './codec/starlette.ts'
import { checkCookieAttributes } from './cookie/attribute-rules.ts'
import { MAX_AGE_LIMIT_SECONDS } from './cookie/limits.ts'
import { ConfigError } from './errors.ts'
import { consoleLogger, type Logger } from './logger.ts'
import { checkOptionNames } from './option-names.ts'
import { DEFAULTS, type ResolvedOptions, SESSION_OPTIONS, type SessionOptions } from './options.ts'
import { checkTrustProxy } from './proxy.ts'
import { checkSecretKey } from './secret-key.ts'

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
  checkCookieAttributes(resolved)
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
