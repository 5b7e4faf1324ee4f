/**
 * Unknown option names. A name that tessera does not know is a mistake made on day one: a habit from
 * express-session (`secret`, `cookie: { secure }`), cookie-session (`keys`), iron-session
 * (`password`, `cookieName`), Starlette's snake_case (`secret_key`), or a typo. Ignoring it would
 * leave the app running without the setting its author believes is on (a cookie without Secure, a
 * store that is never used), so setup throws a `ConfigError` naming the option that was meant.
 *
 * Each option set lists its names once, beside its interface (`src/options.ts`,
 * `src/stores/options.ts`); this file only turns an unknown name into that message.
 */
import { ConfigError } from './errors.ts'

/**
 * What to say about a name brought from another library: the option it maps to (and why), or advice
 * when there is no such option (`resave`: nothing to set).
 */
export type Habit =
  | { readonly use: string; readonly because: string }
  | { readonly advice: (value: unknown) => string }

/** The names of one option set, with the habits that deserve a message of their own. */
export interface OptionSet {
  /** What one option is called in messages: "tessera option", "store engine option". */
  readonly noun: string
  readonly known: ReadonlySet<string>
  readonly habits: Readonly<Record<string, Habit>>
}

/** Throws {@link ConfigError} for the first option name `set` does not know. Reads, never writes. */
export function checkOptionNames(options: object, set: OptionSet): void {
  for (const name of Object.keys(options)) {
    if (set.known.has(name)) continue
    const value: unknown = (options as Record<string, unknown>)[name]
    throw new ConfigError(`${name}: not a ${set.noun}; ${suggestion(name, value, set)}`)
  }
}

function suggestion(name: string, value: unknown, set: OptionSet): string {
  const habit = Object.hasOwn(set.habits, name) ? set.habits[name] : undefined
  if (habit !== undefined) return describe(habit, value)
  // Starlette's names in snake_case (`secret_key`, `max_age`) and kebab-case (`max-age`).
  const camel = name.toLowerCase().replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase())
  if (camel !== name && set.known.has(camel))
    return describe({ use: camel, because: 'tessera’s options are camelCase' }, value)
  if (camel !== name && Object.hasOwn(set.habits, camel)) return describe(set.habits[camel] as Habit, value)
  const closest = closestName(name, set.known)
  if (closest !== undefined) return `did you mean ${closest}?`
  return `the ${set.noun}s are ${[...set.known].join(', ')}`
}

function describe(habit: Habit, value: unknown): string {
  if ('advice' in habit) return habit.advice(value)
  return `use ${habit.use}${shownValue(habit.use, value)} instead (${habit.because})`
}

/** `: true`, `: "sid"`: the value to write, when it is short, plain and not a secret. */
function shownValue(option: string, value: unknown): string {
  if (option === 'secretKey') return ''
  if (typeof value === 'boolean' || typeof value === 'number' || value === null) return `: ${String(value)}`
  if (typeof value === 'string' && value.length <= 40) return `: ${JSON.stringify(value)}`
  return ''
}

/**
 * The known name nearest to `name`, ignoring case, when it is close enough to be a typo: one edit for
 * short names, up to three for long ones.
 */
function closestName(name: string, known: ReadonlySet<string>): string | undefined {
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of two
 * neighbours each count one (`sameStie` is one edit from `sameSite`).
 */
function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b.
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number) => (rows[i] as number[])[j] as number
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1)
      ;(rows[i] as number[])[j] = distance
    }
  }
  return at(a.length, b.length)
}

const SAME_NAME_ATTRIBUTES: ReadonlySet<string> = new Set(['sameSite', 'path', 'domain', 'partitioned'])

/**
 * express-session's and iron-session's nested cookie options (`cookie: { maxAge, secure }`), spelled
 * out as the top-level options they become. `maxAge` there is milliseconds; `seconds` names the
 * option that takes it in seconds (`maxAge`, or `absoluteTimeout` for a store engine).
 */
export function nestedCookieAdvice(seconds: string): Habit {
  return {
    advice: (value) => {
      const nested = typeof value === 'object' && value !== null ? Object.entries(value) : []
      const rewrites = nested.map(([key, v]) => {
        if (key === 'maxAge' && typeof v === 'number')
          return `${seconds}: ${v / 1000} (seconds; cookie.maxAge is milliseconds)`
        if (key === 'secure') return `httpsOnly${shownValue('httpsOnly', v)}`
        if (key === 'httpOnly') return 'nothing for httpOnly (always on)'
        if (key === 'expires') return `${seconds} (seconds) for expires`
        if (SAME_NAME_ATTRIBUTES.has(key)) return `${key}${shownValue(key, v)}`
        return `nothing for ${key} (no equivalent)`
      })
      const write = rewrites.length > 0 ? `: write ${rewrites.join(', ')}` : ''
      return `tessera takes the cookie attributes as top-level options${write}`
    },
  }
}

/** Advice to drop an option that has no equivalent, and why nothing is lost. */
export function remove(why: string): Habit {
  return { advice: () => `remove it: ${why}` }
}

/**
 * Names people bring from express-session, cookie-session, iron-session and koa-session, and what
 * they are called here. Starlette's snake_case names and typos are found without a list.
 */
export const COOKIE_HABITS: Readonly<Record<string, Habit>> = Object.freeze({
  secret: { use: 'secretKey', because: 'express-session’s and cookie-session’s secret' },
  secrets: { use: 'secretKey', because: 'a list rotates keys: the first signs, all verify' },
  keys: { use: 'secretKey', because: 'cookie-session’s keys: the first signs, all verify' },
  password: { use: 'secretKey', because: 'iron-session’s password' },
  name: { use: 'sessionCookie', because: 'the cookie name' },
  cookieName: { use: 'sessionCookie', because: 'the cookie name' },
  key: { use: 'sessionCookie', because: 'koa-session’s key is the cookie name' },
  secure: {
    advice: (value) =>
      value === 'auto'
        ? 'use httpsOnly: "auto" instead, with trustProxy behind a proxy (express-session’s secure: "auto")'
        : `use httpsOnly${shownValue('httpsOnly', value)} instead (Starlette’s name for the Secure attribute)`,
  },
  httpOnly: remove('tessera’s cookie is always HttpOnly'),
  cookie: nestedCookieAdvice('maxAge'),
  cookieOptions: nestedCookieAdvice('maxAge'),
  expires: { use: 'maxAge', because: 'a number of seconds' },
  ttl: { use: 'maxAge', because: 'seconds, as iron-session’s ttl' },
  rolling: {
    advice: () =>
      'use refreshAfter: 0 instead (re-issue the cookie on every response), or 3600 for at most hourly',
  },
  resave: remove('tessera writes a session only when it changed'),
  saveUninitialized: remove('tessera never sends an empty session'),
  signed: remove('tessera’s cookie is always signed'),
  store: {
    advice: () =>
      "a store goes into a store engine, passed in place of the options: sessions(createStoreEngine({ secretKey, store })) from 'tessera-session/stores'",
  },
})
