import { parseSessionJson, type SessionData, stringifySession } from '../codec/json.ts'
import { readCookieValues } from '../cookie/parse.ts'
import { type CookieAttributes, serializeClearingCookie, serializeCookie } from '../cookie/serialize.ts'
import { type CommitResult, type Engine, isEmpty, lateWrite } from '../engine.ts'
import { BadData, BadSignature, StoreUnavailable } from '../errors.ts'
import type { ResolvedOptions } from '../options.ts'
import { checkSessionData } from '../schema.ts'
import { PERSISTENT_KEY, Session, type SessionSource, type SessionState } from '../session.ts'
import { hashSessionId, newSessionId, SessionIdSigner } from './id.ts'
import { cookieMaxAge, idleExpiry, isExpired, newRecord, shouldTouch } from './lifecycle.ts'
import { applyChanges, backoff, type Changes, diff, hasChanges } from './merge.ts'
import { resolveStoreOptions, type StoreEngineOptions, type StoreSettings } from './options.ts'
import type { SessionRecord } from './store.ts'
import { StoreTimeouts } from './timeout.ts'
import { type ActiveSession, listUserSessions, revokeUserSession, revokeUserSessions } from './users.ts'
import { VerifiedIds } from './verified-ids.ts'

/** What the engine knows about an opened session beyond its data. */
interface Opened {
  id: string
  key: string
  /** Index of the secret that verified the cookie. */
  keyIndex: number
  /** The record as loaded, or `undefined` when the id was unknown or expired. */
  record: SessionRecord | undefined
  /** The "remember me" choice as loaded, to tell whether the cookie must change with it. */
  persistent: unknown
}

const NOTHING: CommitResult = Object.freeze({ setCookie: undefined, vary: false })
const VARY: CommitResult = Object.freeze({ setCookie: undefined, vary: true })
const newSource = (): SessionSource => ({ data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 })

/** Enough attempts for every one of many racing writers to win once (each round has one winner). */
const MAX_WRITE_ATTEMPTS = 100

/**
 * Sessions kept in a {@link Store}; the cookie holds only a signed random id. Implements the same
 * {@link Engine} interface as cookie sessions, so every adapter takes it.
 *
 * Handlers `await session.load()` before using the session; a request that never loads it makes no
 * store call, and an unchanged session is not written back.
 *
 * @example
 * const engine = createStoreEngine({ secretKey: process.env.SECRET_KEY!, store: memoryStore() })
 * app.use(sessions(engine))
 */
export class StoreEngine<Data extends SessionData = SessionData> implements Engine<Data> {
  /** The validated cookie options. */
  readonly options: ResolvedOptions
  /** The validated store and lifetime settings. */
  readonly settings: StoreSettings
  readonly #ids: SessionIdSigner
  readonly #verified: VerifiedIds
  readonly #timeouts: StoreTimeouts
  readonly #attributes: CookieAttributes
  readonly #opened = new WeakMap<Session<Data>, Opened>()
  // One function for every session rather than a closure per commit.
  readonly #onLateWrite = (key: string): void => lateWrite(this.options.sessionCookie, key)

  /** @throws {import('../errors.ts').ConfigError} when an option is invalid. */
  constructor(options: StoreEngineOptions) {
    const { cookie, settings } = resolveStoreOptions(options)
    this.options = cookie
    this.settings = settings
    this.#ids = new SessionIdSigner(cookie.secretKey, cookie.algorithm)
    this.#verified = new VerifiedIds(this.#ids)
    this.#timeouts = new StoreTimeouts(settings.timeout)
    this.#attributes = Object.freeze({
      path: cookie.path,
      maxAge: null,
      sameSite: cookie.sameSite,
      secure: cookie.httpsOnly,
      domain: cookie.domain,
      partitioned: cookie.partitioned,
    })
  }

  /** A session for a request with this `Cookie` header; the store is asked only when it is loaded. */
  open(cookieHeader: string | null | undefined): Session<Data> {
    if (!cookieHeader) return new Session<Data>()
    const session: Session<Data> = new Session<Data>(() => this.#load(session, cookieHeader))
    return session
  }

  /**
   * Writes the session back if it changed, pushes its expiry back when due, and gives the headers.
   * @throws {StoreUnavailable} when the store fails or is slower than `timeout`.
   */
  async commit(session: Session<Data>): Promise<CommitResult> {
    const state = Session.state(session as Session<SessionData>)
    Session.markCommitted(session as Session<SessionData>, this.#onLateWrite)
    if (!state.loaded) return NOTHING
    const opened = this.#opened.get(session)
    const now = this.options.now()
    if (isEmpty(state.data)) {
      if (opened === undefined) return VARY
      if (opened.record !== undefined)
        await this.#call('destroy', () => this.settings.store.destroy(opened.key))
      return this.#clearCookie()
    }
    if (opened?.record === undefined || state.regenerated) return this.#create(state, opened, now)
    let record = opened.record
    // `changed` is also true after set() of an equal value; only a real difference is written.
    const changes = state.changed
      ? diff(parseSessionJson((state.source as SessionSource).json), state.data)
      : undefined
    if (changes !== undefined && hasChanges(changes)) {
      const written = await this.#write(opened.key, record, state.data, changes, now)
      // Revoked or expired while this request ran: revocation wins over the request's changes.
      if (written === undefined) return this.#clearCookie()
      record = written
    } else if (shouldTouch(record, now, this.settings)) {
      await this.#touch(opened.key, record, now)
    }
    if (!shouldResendCookie(opened, state)) return VARY
    return { setCookie: this.#cookie(this.#ids.sign(opened.id), state.data, record, now), vary: true }
  }

  /** The store key of the session's id (the `handle` in {@link listSessions}), or `undefined` for a new session. */
  handleOf(session: Session<Data>): string | undefined {
    const opened = this.#opened.get(session)
    return opened?.record === undefined ? undefined : opened.key
  }

  /**
   * The live sessions of a user (sessions whose `userKey` holds `userId`).
   * @throws {import('../errors.ts').TesseraError} when the store has no per-user index.
   * @throws {StoreUnavailable} when the store fails.
   */
  listSessions(userId: string): Promise<ActiveSession[]> {
    return listUserSessions(this.settings, userId, this.options.now())
  }

  /** Ends one of a user's sessions; resolves to whether there was such a session. */
  revokeSession(userId: string, handle: string): Promise<boolean> {
    return revokeUserSession(this.settings, userId, handle)
  }

  /**
   * Ends all of a user's sessions ("log out everywhere"), except `options.except` (say, the current
   * one). Resolves to how many were ended.
   */
  revokeAll(userId: string, options: { except?: Session<Data> } = {}): Promise<number> {
    const keep = options.except === undefined ? undefined : this.handleOf(options.except)
    return revokeUserSessions(this.settings, userId, this.options.now(), keep)
  }

  #load(session: Session<Data>, cookieHeader: string): SessionSource | Promise<SessionSource> {
    for (const value of readCookieValues(cookieHeader, this.options.sessionCookie)) {
      const verified = this.#verified.verify(value)
      if (verified === undefined) {
        this.#reject(new BadSignature('session id cookie is not signed by this server'))
        continue
      }
      return this.#fetch(session, verified.id, verified.key, verified.keyIndex)
    }
    return newSource()
  }

  async #fetch(session: Session<Data>, id: string, key: string, keyIndex: number): Promise<SessionSource> {
    const found = await this.#call('get', () => this.settings.store.get(key))
    const record = found !== undefined && !isExpired(found, this.options.now()) ? found : undefined
    const opened: Opened = { id, key, keyIndex, record: undefined, persistent: undefined }
    this.#opened.set(session, opened)
    if (record === undefined) {
      this.#reject(new BadData('session id is unknown or expired'))
      return newSource()
    }
    let data: SessionData
    try {
      data = parseSessionJson(record.data)
      // Data written by an older release of the app may no longer fit: the same check as cookie data.
      if (this.options.schema !== undefined) checkSessionData(this.options.schema, data)
    } catch (error) {
      if (!(error instanceof BadData)) throw error
      this.#reject(error)
      return newSource()
    }
    opened.record = record
    opened.persistent = data[PERSISTENT_KEY]
    return { data, json: record.data, issuedAt: Math.floor(record.createdAt / 1000), keyIndex }
  }

  async #create(state: SessionState, opened: Opened | undefined, now: number): Promise<CommitResult> {
    const json = stringifySession(state.data)
    const record = newRecord(json, this.#userOf(state.data), now, this.settings)
    let id = newSessionId()
    // 256 random bits never collide in practice; a refusal means a bug or a tampered store, so retry once.
    if (!(await this.#call('set', () => this.settings.store.set(hashSessionId(id), record)))) {
      id = newSessionId()
      if (!(await this.#call('set', () => this.settings.store.set(hashSessionId(id), record)))) {
        throw new StoreUnavailable('session store refused to create a new session')
      }
    }
    // Session fixation defence: the id the client had before regenerate() no longer works.
    if (opened?.record !== undefined)
      await this.#call('destroy', () => this.settings.store.destroy(opened.key))
    return { setCookie: this.#cookie(this.#ids.sign(id), state.data, record, now), vary: true }
  }

  /** Compare-and-set with key-level merge on conflict; `undefined` when the session is gone. */
  async #write(
    key: string,
    loaded: SessionRecord,
    changed: SessionData,
    changes: Changes,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const store = this.settings.store
    let current = loaded
    let data = changed
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const next: SessionRecord = {
        ...current,
        data: stringifySession(data),
        version: current.version + 1,
        userId: this.#userOf(data),
        expiresAt: idleExpiry(now, current.absoluteExpiresAt, this.settings),
      }
      if (await this.#call('set', () => store.set(key, next))) return next
      await backoff(attempt)
      const latest = await this.#call('get', () => store.get(key))
      if (latest === undefined || isExpired(latest, this.options.now())) return undefined
      current = latest
      data = applyChanges(parseSessionJson(latest.data), changes)
    }
    throw new StoreUnavailable(
      `session store: more than ${MAX_WRITE_ATTEMPTS} concurrent writes to one session`,
    )
  }

  async #touch(key: string, record: SessionRecord, now: number): Promise<void> {
    const store = this.settings.store
    const expiresAt = idleExpiry(now, record.absoluteExpiresAt, this.settings)
    if (store.touch !== undefined) {
      const touch = store.touch.bind(store)
      await this.#call('touch', () => touch(key, expiresAt))
      return
    }
    // Without touch(), rewrite the record; losing that race is fine, the winner pushed the expiry too.
    await this.#call('set', () => store.set(key, { ...record, version: record.version + 1, expiresAt }))
  }

  #cookie(value: string, data: SessionData, record: SessionRecord, now: number): string {
    const persistent =
      typeof data[PERSISTENT_KEY] === 'boolean' ? data[PERSISTENT_KEY] : this.settings.persistent
    const maxAge = persistent ? cookieMaxAge(record, now) : null
    return serializeCookie(this.options.sessionCookie, value, { ...this.#attributes, maxAge })
  }

  #clearCookie(): CommitResult {
    return { setCookie: serializeClearingCookie(this.options.sessionCookie, this.#attributes), vary: true }
  }

  #userOf(data: SessionData): string | null {
    const user = data[this.settings.userKey]
    if (typeof user === 'string') return user
    if (typeof user === 'number' && Number.isFinite(user)) return String(user)
    return null
  }

  #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    return this.#timeouts.run(what, call)
  }

  #reject(error: BadData): void {
    try {
      this.options.onInvalid?.(error)
    } catch {
      // An observer's own failure must not turn bad input into a failed request.
    }
  }
}

/** Creates a {@link StoreEngine}. Throws at once when an option is invalid. */
export function createStoreEngine<Data extends SessionData = SessionData>(
  options: StoreEngineOptions,
): StoreEngine<Data> {
  return new StoreEngine<Data>(options)
}

/** The id stays; its cookie is sent again only when an old key signed it or "remember me" changed. */
function shouldResendCookie(opened: Opened, state: SessionState): boolean {
  return opened.keyIndex > 0 || state.data[PERSISTENT_KEY] !== opened.persistent
}
