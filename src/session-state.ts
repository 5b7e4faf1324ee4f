/**
 * The per-request side of a session: what engines keep and commit. Handlers never see it; they get
 * its {@link Session}.
 */
import { parseSessionJson, type SessionData, stringifySession } from './codec/json.ts'
import { TesseraError } from './errors.ts'
import { PERSISTENT_KEY, Session } from './session.ts'

/** What a session was loaded from. */
export interface SessionSource {
  data: SessionData
  /** The JSON text `data` was parsed from, as its writer wrote it; `'{}'` for a new session. */
  json: string
  /** When the cookie (or stored session) was issued, in seconds since the epoch; `undefined` for a new session. */
  issuedAt: number | undefined
  /** Index of the secret that verified the cookie. */
  keyIndex: number
}

/** Loads what a session starts from: synchronously (cookie formats) or from a store. */
export type SessionLoader = () => SessionSource | Promise<SessionSource>

/** What a response needs after a session was used. */
export interface CommitResult {
  /** A `Set-Cookie` header value to append, or `undefined` when the cookie stays as it is. */
  setCookie: string | undefined
  /**
   * Further `Set-Cookie` values to append after {@link setCookie}, in order: the other chunks of a
   * session split over several cookies, and deletions of chunks it no longer uses. Absent on the
   * common path, one cookie, so that it costs nothing there. Set only when `setCookie` is.
   */
  extraSetCookies?: readonly string[]
  /** Whether to append `Vary: Cookie`: the session was read, so the response depends on the cookie. */
  vary: boolean
}

/** Nothing to send: the session was never used. */
export const NOTHING: CommitResult = Object.freeze({ setCookie: undefined, vary: false })
/** The session was read: the response varies on the cookie, which stays as it is. */
export const VARY_ONLY: CommitResult = Object.freeze({ setCookie: undefined, vary: true })

/**
 * What committing a session will do: the headers, known synchronously, and for a store the work
 * that makes them true. `run` resolves to the headers to send after all (they differ when the
 * stored session turned out to be revoked, say).
 */
export interface CommitPlan {
  result: CommitResult
  run?: () => Promise<CommitResult>
}

const NEW_SOURCE: SessionSource = Object.freeze({ data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 })

function notLoaded(): TesseraError {
  return new TesseraError('this session is kept in a store: call `await session.load()` before using it')
}

/**
 * One request's session state, the single home of everything the request did to its session: what
 * it was loaded from, the data, what changed, whether it was committed. Each engine subclasses it
 * with what it needs to commit (the cookie engine nothing more, a store engine the session's id and
 * record) and implements {@link plan}. Handlers see only its {@link session}.
 */
export class SessionState<Data extends SessionData = SessionData> {
  /** The session handlers use. */
  readonly session: Session<Data>
  source: SessionSource | undefined
  data: SessionData = {}
  /** Changed through a method (set, delete, clear...). */
  written = false
  /** A nested value was handed out by `get` or `data`: it may have been changed in place. */
  handedOut = false
  regenerated = false
  committed = false
  /** Counts loads and writes: anything that can change what a commit gives. */
  version = 0
  #load: SessionLoader | undefined
  #pending: Promise<SessionSource> | undefined
  // The last preview's plan, and the session as it was then (three fields, not an object per preview).
  #planned: CommitPlan | undefined
  #plannedVersion = 0
  /** The data's JSON at the preview when nested values had been handed out (they may change without a method call). */
  #plannedJson: string | undefined
  /**
   * Called once, when the session is first used or loaded, before anything is read: set by adapters
   * that only hook the response for a session in use (see {@link OpenedSession.onUse}). `loading` is
   * true for a first use by {@link load} (the handler awaits it before building its response).
   */
  onUse: ((loading: boolean) => void) | undefined = undefined

  /**
   * @param load Returns what the session starts from, for a state built without an engine (tests);
   * engines override {@link fetchSource} instead. Omit for a new session.
   */
  constructor(load?: SessionLoader) {
    this.#load = load
    this.session = new Session<Data>(this)
  }

  get loaded(): boolean {
    return this.source !== undefined
  }

  /** The data, loading it synchronously on first use. @throws {TesseraError} while an asynchronous load is pending. */
  use(): SessionData {
    if (this.source === undefined) {
      if (this.onUse !== undefined) this.#used(false)
      if (this.#pending !== undefined) throw notLoaded()
      const loaded = this.fetchSource()
      if (loaded instanceof Promise) {
        this.#pending = loaded
        throw notLoaded()
      }
      this.#adopt(loaded)
    }
    return this.data
  }

  async load(): Promise<void> {
    if (this.source !== undefined) return
    if (this.onUse !== undefined) this.#used(true)
    this.#pending ??= Promise.resolve(this.fetchSource())
    this.#adopt(await this.#pending)
  }

  /** Records a write through a method; after the commit, reports it instead of losing it silently. */
  write(key: string): void {
    this.written = true
    this.version++
    if (this.committed) this.reportLateWrite(key)
  }

  /**
   * Whether the session differs from what was loaded: written through a method, or a value handed
   * out now serializes differently. Compared with the canonical form of the source, so that text
   * written by another program (Python's spacing and escapes) is not mistaken for a change.
   */
  get changed(): boolean {
    if (this.written) return true
    const source = this.source
    if (!this.handedOut || source === undefined) return false
    const json = stringifySession(this.data)
    return json !== source.json && json !== stringifySession(parseSessionJson(source.json))
  }

  /** The "remember me" choice kept in the data, or `undefined` to follow the options. */
  get persistent(): boolean | undefined {
    const value = this.use()[PERSISTENT_KEY]
    return typeof value === 'boolean' ? value : undefined
  }

  /** The store key of this session, for engines that keep sessions server-side. */
  get handle(): string | undefined {
    return undefined
  }

  /**
   * The headers the response will carry if it is sent now, without committing: for adapters that
   * put them on the response before the handler has finished (Hono's fast path). A {@link commit}
   * while the session is unchanged since then keeps this plan, so both give the same object.
   * @throws {import('./errors.ts').CookieTooLarge} when the session no longer fits in a cookie.
   */
  preview(): CommitResult {
    const plan = this.plan()
    this.#planned = plan
    this.#plannedVersion = this.version
    this.#plannedJson = this.handedOut ? stringifySession(this.data) : undefined
    return plan.result
  }

  /**
   * Commits the session: the headers the response needs (for a store, once the store has answered).
   * Call once, before the response headers are sent; a later change is reported, not lost silently.
   * @throws {import('./errors.ts').CookieTooLarge} when the session no longer fits in a cookie; nothing
   * is sent then, so the client keeps its previous cookie.
   * @throws {import('./errors.ts').StoreUnavailable} (a rejection) when the store fails.
   */
  commit(): CommitResult | Promise<CommitResult> {
    this.committed = true
    const planned = this.#planned
    const plan = planned !== undefined && !this.#changedSincePreview() ? planned : this.plan()
    return plan.run === undefined ? plan.result : plan.run()
  }

  /** What the session starts from; called once, on first use. Engines override it. */
  protected fetchSource(): SessionSource | Promise<SessionSource> {
    return this.#load?.() ?? NEW_SOURCE
  }

  /** What committing the session now would do. Engines override it; a bare state sends nothing. */
  protected plan(): CommitPlan {
    return { result: NOTHING }
  }

  /** Reports a change made after the commit. Engines override it with their logger. */
  protected reportLateWrite(_key: string): void {}

  #used(loading: boolean): void {
    const onUse = this.onUse as (loading: boolean) => void
    this.onUse = undefined
    onUse(loading)
  }

  #adopt(source: SessionSource): void {
    if (this.source !== undefined) return
    this.source = source
    this.version++
    this.#load = undefined
    this.#pending = undefined
    this.data = source.issuedAt === undefined && source.json === '{}' ? {} : source.data
  }

  #changedSincePreview(): boolean {
    if (this.version !== this.#plannedVersion) return true
    if (!this.handedOut) return false
    const json = this.#plannedJson
    return json === undefined || stringifySession(this.data) !== json
  }
}
