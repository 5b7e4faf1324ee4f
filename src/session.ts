import { FORBIDDEN_KEYS, type SessionData } from './codec/json.ts'
import { DEFAULT_CATEGORY, FLASHES_KEY, type Flash, takeFlashes, withFlash } from './flash.ts'
import type { SessionSource, SessionState } from './session-state.ts'

export type { Flash, SessionData }

/** Read-only view of session data, all the way down. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T

/**
 * Where the per-session "remember me" choice is kept inside the data, so that it survives in a
 * cookie session too. Only written when {@link Session.setPersistent} was called.
 */
export const PERSISTENT_KEY = '_tessera.persistent'

/**
 * Where a cookie session with an `absoluteTimeout` keeps when it started (seconds since the epoch):
 * its first cookie, or its last `regenerate()`. Only written when the option is set.
 */
export const CREATED_KEY = '_tessera.created'

/**
 * Key of the session's CSRF token (`csrfToken()` in src/csrf.ts). `regenerate()` drops it, so a page
 * rendered before sign-in cannot post after it.
 */
export const CSRF_KEY = '_tessera.csrf'

/**
 * Catches property assignment (`req.session.user = 'ada'`, the express-session and Starlette habit),
 * which would otherwise be lost without a word: the session is not a plain object, its data is
 * changed through {@link Session.set}. This proxy sits at the end of the session's prototype chain,
 * so it costs nothing on method calls, which are found before it; only an assignment to a name the
 * class does not define reaches its trap.
 */
const REFUSE_ASSIGNMENT = new Proxy(Object.create(Object.prototype) as object, {
  set(_target, property) {
    const key = typeof property === 'string' ? JSON.stringify(property) : String(property)
    throw new TypeError(
      `session.${String(property)} = ... does not store anything: session data is changed with ` +
        `session.set(${key}, value) (and read with session.get(${key})), so that changes are tracked and saved`,
    )
  },
})

class RefusesAssignment {}
Object.setPrototypeOf(RefusesAssignment.prototype, REFUSE_ASSIGNMENT)

/**
 * One request's session: a JSON object with modification tracking. It loads lazily, on first use,
 * so a route that never touches the session costs no parsing. Engines create it; handlers use it.
 *
 * @example
 * session.set('cart', ['apple'])
 * session.get('cart')?.push('pear') // nested changes are detected too
 */
export class Session<Data extends SessionData = SessionData> extends RefusesAssignment {
  readonly #s: SessionState<Data>

  /** Sessions come from an engine's `open()`; `new SessionState().session` makes a detached one. */
  constructor(state: SessionState<Data>) {
    super()
    this.#s = state
  }

  /**
   * Loads the session if it is not loaded yet. Cookie sessions load on first use by themselves;
   * sessions kept in a server-side store must be awaited once before the other methods are used.
   * @example const session = await c.var.session.load()
   */
  async load(): Promise<this> {
    await this.#s.load()
    return this
  }

  /** Whether the session has been loaded (used, or awaited with {@link load}). */
  get isLoaded(): boolean {
    return this.#s.loaded
  }

  /** The value stored under `key`, or `undefined`. Integers beyond 2^53 written by Python are `bigint`s. */
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    const data = this.#s.use()
    if (!Object.hasOwn(data, key)) return undefined
    const value = data[key]
    if (typeof value === 'object' && value !== null) this.#s.handedOut = true
    return value as Data[K]
  }

  /** Stores `value` under `key`. The value must survive JSON (no functions, Dates become strings). */
  set<K extends keyof Data & string>(key: K, value: Data[K]): this {
    if (FORBIDDEN_KEYS.has(key)) throw new TypeError(`session key "${key}" is reserved and cannot be set`)
    const data = this.#s.use()
    this.#s.write(key)
    data[key] = value
    return this
  }

  /** Whether `key` is stored. */
  has(key: keyof Data & string): boolean {
    return Object.hasOwn(this.#s.use(), key)
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: keyof Data & string): boolean {
    const data = this.#s.use()
    if (!Object.hasOwn(data, key)) return false
    this.#s.write(key)
    delete data[key]
    return true
  }

  /** Removes `key` and returns its value, or `fallback` when it was absent (Python's `dict.pop`). */
  pop<K extends keyof Data & string>(key: K): Data[K] | undefined
  pop<K extends keyof Data & string, F>(key: K, fallback: F): Data[K] | F
  pop<K extends keyof Data & string, F>(key: K, fallback?: F): Data[K] | F | undefined {
    const data = this.#s.use()
    if (!Object.hasOwn(data, key)) return fallback
    const value = data[key] as Data[K]
    this.#s.write(key)
    delete data[key]
    return value
  }

  /** Removes everything; a session that had data sends a cookie deletion. */
  clear(): void {
    const data = this.#s.use()
    if (Object.keys(data).length === 0) return
    this.#s.write('*')
    this.#s.data = {}
  }

  /**
   * Ends the session ("log out"): removes everything, so the response deletes the cookie and a store
   * drops the record. The callback, for code written for express-session's `destroy(callback)`, is
   * called once that is done (asynchronously, with no error).
   * @example req.session.destroy()
   */
  destroy(callback?: (error?: unknown) => void): void {
    this.clear()
    if (callback !== undefined) queueMicrotask(() => callback())
  }

  /**
   * Keeps the data but starts a new session: a server-side store gives it a new id and drops the old
   * one (session fixation defence, call it on sign-in); a cookie session is re-issued. The CSRF token
   * (if any) is dropped: the next `csrfToken()` makes a new one.
   */
  regenerate(): void {
    const data = this.#s.use()
    delete data[CSRF_KEY]
    this.#s.write('*')
    this.#s.regenerated = true
  }

  /**
   * "Remember me": `true` sends a persistent cookie (Max-Age from the options), `false` a
   * browser-session cookie that ends when the browser closes. The choice is kept in the session.
   */
  setPersistent(persistent: boolean): void {
    const data = this.#s.use()
    if (data[PERSISTENT_KEY] === persistent) return
    this.#s.write(PERSISTENT_KEY)
    data[PERSISTENT_KEY] = persistent
  }

  /**
   * Adds a flash message, shown once by the next request that reads {@link flashes} (after a
   * redirect, typically). With one argument the category is `'message'`, as in Flask's `flash()`.
   * The message must survive JSON.
   * @example
   * session.flash('Saved.')
   * session.flash('error', { field: 'email', text: 'already taken' })
   */
  flash<Message = string>(...args: [message: Message] | [category: string, message: Message]): void {
    const data = this.#s.use()
    const [category, message] = args.length === 1 ? [DEFAULT_CATEGORY, args[0]] : args
    this.#s.write(FLASHES_KEY)
    data[FLASHES_KEY] = withFlash(data[FLASHES_KEY], category, message)
  }

  /**
   * Returns the flash messages and removes them from the session (all of them, or those of
   * `category`, leaving the others), like Flask's `get_flashed_messages`. Taking any changes the
   * session, so the response writes it; with none to take nothing changes.
   * @example for (const { category, message } of session.flashes()) notices.push(`${category}: ${message}`)
   */
  flashes<Message = string>(category?: string): Flash<Message>[] {
    const data = this.#s.use()
    if (!Object.hasOwn(data, FLASHES_KEY)) return []
    const stored = data[FLASHES_KEY]
    const { taken, kept } = takeFlashes(stored, category)
    // Nothing taken and nothing dropped: the session stays as it was.
    if (taken.length === 0 && Array.isArray(stored) && stored.length === kept.length) return []
    this.#s.write(FLASHES_KEY)
    if (kept.length === 0) delete data[FLASHES_KEY]
    else data[FLASHES_KEY] = kept
    return taken as Flash<Message>[]
  }

  /** The per-session choice made with {@link setPersistent}, or `undefined` to follow the options. */
  get persistent(): boolean | undefined {
    return this.#s.persistent
  }

  /** Read-only view of all data; nested changes made through a cast are still detected. */
  get data(): DeepReadonly<Data> {
    const data = this.#s.use()
    this.#s.handedOut = true
    return data as DeepReadonly<Data>
  }

  /** Whether the request came without a valid session (no cookie, or one that failed a check). */
  get isNew(): boolean {
    this.#s.use()
    return (this.#s.source as SessionSource).issuedAt === undefined
  }

  /** Whether no key is stored. */
  get isEmpty(): boolean {
    return isEmpty(this.#s.use())
  }

  /** When the current cookie (or stored session) was issued, or `undefined` for a new session. */
  get issuedAt(): Date | undefined {
    this.#s.use()
    const issuedAt = (this.#s.source as SessionSource).issuedAt
    return issuedAt === undefined ? undefined : new Date(issuedAt * 1000)
  }

  /**
   * The server-side handle of a stored session (the `handle` of `listSessions`), to mark "this
   * device" in a list; `undefined` for cookie sessions and sessions not stored yet.
   */
  get handle(): string | undefined {
    return this.#s.handle
  }

  /** The data, for `JSON.stringify(session)`. */
  toJSON(): DeepReadonly<Data> {
    return this.data
  }
}

/** Whether session data has no key of its own. */
export function isEmpty(data: SessionData): boolean {
  for (const key in data) if (Object.hasOwn(data, key)) return false
  return true
}
