import { FORBIDDEN_KEYS, type SessionData } from './codec/json.ts'
import { TesseraError } from './errors.ts'

export type { SessionData }

/** Read-only view of session data, all the way down. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T

/** What a session was loaded from. */
export interface SessionSource {
  data: SessionData
  /** JSON text `data` was parsed from; `'{}'` for a new session. */
  json: string
  /** When the cookie was issued, in seconds since the epoch; `undefined` for a new session. */
  issuedAt: number | undefined
  /** Index of the secret that verified the cookie. */
  keyIndex: number
}

/** Loads what a session starts from: synchronously (cookie formats) or from a store. */
export type SessionLoader = () => SessionSource | Promise<SessionSource>

/** What the engine reads back from a session when it commits it. */
export interface SessionState {
  loaded: boolean
  source: SessionSource | undefined
  data: SessionData
  /** Changed through a method, or a nested value handed out by `get`/`data` now serializes differently. */
  changed: boolean
  regenerated: boolean
  /** `false` after `setPersistent(false)`, `true` after `setPersistent(true)`, else `undefined`. */
  persistent: boolean | undefined
}

/**
 * Where the per-session "remember me" choice is kept inside the data, so that it survives in a
 * cookie session too. Only written when {@link Session.setPersistent} was called.
 */
export const PERSISTENT_KEY = '_tessera.persistent'

function notLoaded(): TesseraError {
  return new TesseraError('this session is kept in a store: call `await session.load()` before using it')
}

/**
 * @internal What a session looked like when an adapter sent its headers before the handler finished,
 * to tell afterwards whether they are still right.
 */
export interface SessionMark {
  version: number
  /** The data's JSON when nested values had been handed out (they may change without a method call). */
  json: string | undefined
}

const NEW_SOURCE: SessionSource = Object.freeze({ data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 })

/**
 * One request's session: a JSON object with modification tracking. It loads lazily, on first use,
 * so a route that never touches the session costs no parsing.
 *
 * @example
 * session.set('cart', ['apple'])
 * session.get('cart')?.push('pear') // nested changes are detected too
 */
export class Session<Data extends SessionData = SessionData> {
  #load: SessionLoader | undefined
  #pending: Promise<SessionSource> | undefined
  #source: SessionSource | undefined
  #data: SessionData = {}
  #changed = false
  #handedOut = false
  #regenerated = false
  #committed = false
  /** Counts loads and writes: anything that can change what `commit` gives. */
  #version = 0
  #onLateWrite: ((key: string) => void) | undefined

  /** @param load Returns what the session starts from; called once, on first use. Omit for a new session. */
  constructor(load?: SessionLoader) {
    this.#load = load
  }

  /**
   * Loads the session if it is not loaded yet. Cookie sessions load on first use by themselves;
   * sessions kept in a server-side store must be awaited once before the other methods are used.
   * @example const session = await c.var.session.load()
   */
  async load(): Promise<this> {
    if (this.#source !== undefined) return this
    if (this.#pending === undefined) {
      const loaded = this.#load?.() ?? NEW_SOURCE
      this.#pending = Promise.resolve(loaded)
    }
    this.#adopt(await this.#pending)
    return this
  }

  /** Whether the session has been loaded (used, or awaited with {@link load}). */
  get isLoaded(): boolean {
    return this.#source !== undefined
  }

  /** The value stored under `key`, or `undefined`. */
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    const data = this.#state()
    if (!Object.hasOwn(data, key)) return undefined
    const value = data[key]
    if (typeof value === 'object' && value !== null) this.#handedOut = true
    return value as Data[K]
  }

  /** Stores `value` under `key`. The value must survive JSON (no functions, Dates become strings). */
  set<K extends keyof Data & string>(key: K, value: Data[K]): this {
    if (FORBIDDEN_KEYS.has(key)) throw new TypeError(`session key "${key}" is reserved and cannot be set`)
    this.#write(key)
    this.#state()[key] = value
    return this
  }

  /** Whether `key` is stored. */
  has(key: keyof Data & string): boolean {
    return Object.hasOwn(this.#state(), key)
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: keyof Data & string): boolean {
    const data = this.#state()
    if (!Object.hasOwn(data, key)) return false
    this.#write(key)
    delete data[key]
    return true
  }

  /** Removes `key` and returns its value, or `fallback` when it was absent (Python's `dict.pop`). */
  pop<K extends keyof Data & string>(key: K): Data[K] | undefined
  pop<K extends keyof Data & string, F>(key: K, fallback: F): Data[K] | F
  pop<K extends keyof Data & string, F>(key: K, fallback?: F): Data[K] | F | undefined {
    const data = this.#state()
    if (!Object.hasOwn(data, key)) return fallback
    const value = data[key] as Data[K]
    this.#write(key)
    delete data[key]
    return value
  }

  /** Removes everything; a session that had data sends a cookie deletion. */
  clear(): void {
    const data = this.#state()
    if (Object.keys(data).length === 0) return
    this.#write('*')
    this.#data = {}
  }

  /**
   * Keeps the data but starts a new session: a server-side store gives it a new id and drops the old
   * one (session fixation defence, call it on sign-in); a cookie session is re-issued.
   */
  regenerate(): void {
    this.#state()
    this.#write('*')
    this.#regenerated = true
  }

  /**
   * "Remember me": `true` sends a persistent cookie (Max-Age from the options), `false` a
   * browser-session cookie that ends when the browser closes. The choice is kept in the session.
   */
  setPersistent(persistent: boolean): void {
    const data = this.#state()
    if (data[PERSISTENT_KEY] === persistent) return
    this.#write(PERSISTENT_KEY)
    data[PERSISTENT_KEY] = persistent
  }

  /** The per-session choice made with {@link setPersistent}, or `undefined` to follow the options. */
  get persistent(): boolean | undefined {
    const value = this.#state()[PERSISTENT_KEY]
    return typeof value === 'boolean' ? value : undefined
  }

  /** Read-only view of all data; nested changes made through a cast are still detected. */
  get data(): DeepReadonly<Data> {
    const data = this.#state()
    this.#handedOut = true
    return data as DeepReadonly<Data>
  }

  /** Whether the request came without a valid session (no cookie, or one that failed a check). */
  get isNew(): boolean {
    this.#state()
    return (this.#source as SessionSource).issuedAt === undefined
  }

  /** Whether no key is stored. */
  get isEmpty(): boolean {
    for (const key in this.#state()) if (Object.hasOwn(this.#data, key)) return false
    return true
  }

  /** When the current cookie was issued, or `undefined` for a new session. */
  get issuedAt(): Date | undefined {
    this.#state()
    const issuedAt = (this.#source as SessionSource).issuedAt
    return issuedAt === undefined ? undefined : new Date(issuedAt * 1000)
  }

  /** The data, for `JSON.stringify(session)`. */
  toJSON(): DeepReadonly<Data> {
    return this.data
  }

  /** @internal What the engine needs to commit this session. */
  static state(session: Session<SessionData>): SessionState {
    const loaded = session.#source !== undefined
    const changed =
      session.#changed ||
      (session.#handedOut && JSON.stringify(session.#data) !== (session.#source as SessionSource).json)
    const persistent = loaded ? session.persistent : undefined
    return {
      loaded,
      source: session.#source,
      data: session.#data,
      changed,
      regenerated: session.#regenerated,
      persistent,
    }
  }

  /**
   * @internal Marks the session committed: its cookie is on its way to the client. A later write
   * cannot reach the client, so it is reported through `onLateWrite` instead of silently lost.
   */
  static markCommitted(session: Session<SessionData>, onLateWrite: (key: string) => void): void {
    session.#committed = true
    session.#onLateWrite = onLateWrite
  }

  /** @internal A mark of the session as it is now, for {@link Session.changedSince}. */
  static mark(session: Session<SessionData>): SessionMark {
    return { version: session.#version, json: session.#handedOut ? JSON.stringify(session.#data) : undefined }
  }

  /**
   * @internal Whether the session may have changed since `mark` was taken: a load or a write through
   * a method, or (when nested values were handed out) data that now serializes differently.
   */
  static changedSince(session: Session<SessionData>, mark: SessionMark): boolean {
    if (session.#version !== mark.version) return true
    if (!session.#handedOut) return false
    return mark.json === undefined || JSON.stringify(session.#data) !== mark.json
  }

  #state(): SessionData {
    if (this.#source === undefined) {
      if (this.#pending !== undefined) throw notLoaded()
      const loaded = this.#load?.() ?? NEW_SOURCE
      if (loaded instanceof Promise) {
        this.#pending = loaded
        throw notLoaded()
      }
      this.#adopt(loaded)
    }
    return this.#data
  }

  #adopt(source: SessionSource): void {
    if (this.#source !== undefined) return
    this.#source = source
    this.#version++
    this.#load = undefined
    this.#pending = undefined
    this.#data = source === NEW_SOURCE ? {} : source.data
  }

  #write(key: string): void {
    this.#changed = true
    this.#version++
    if (this.#committed) this.#onLateWrite?.(key)
  }
}
