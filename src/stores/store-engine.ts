import { parseSessionJson, type SessionData, stringifySession } from '../codec/json.ts'
import { readCookieValue } from '../cookie/parse.ts'
import { type CookieAttributes, serializeClearingCookie, serializeCookie } from '../cookie/serialize.ts'
import { type Engine, type OpenedSession, reportLateWrite, shouldBeSecure } from '../engine.ts'
import { BadData, BadSignature, StoreUnavailable } from '../errors.ts'
import type { ResolvedOptions } from '../options.ts'
import type { RequestContext } from '../proxy.ts'
import { checkSessionData } from '../schema.ts'
import { isEmpty, PERSISTENT_KEY, type Session } from '../session.ts'
import {
  type CommitPlan,
  type CommitResult,
  NOTHING,
  type SessionSource,
  SessionState,
  VARY_ONLY,
} from '../session-state.ts'
import { hashSessionId, newSessionId, SessionIdSigner } from './id.ts'
import { cookieMaxAge, idleExpiry, isExpired, newRecord, shouldTouch } from './lifecycle.ts'
import { applyChanges, backoff, type Changes, diff, hasChanges, toJson } from './merge.ts'
import { resolveStoreOptions, type StoreEngineOptions, type StoreSettings } from './options.ts'
import type { MergeUpdate, SessionRecord } from './store.ts'
import { StoreTimeouts } from './timeout.ts'
import {
  type ActiveSession,
  checkUserId,
  listUserSessions,
  revokeUserSession,
  revokeUserSessions,
} from './users.ts'
import { VerifiedIds } from './verified-ids.ts'

const newSource = (): SessionSource => ({ data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 })

/** Enough attempts for every one of many racing writers to win once (each round has one winner). */
const MAX_WRITE_ATTEMPTS = 100

/** The session of one request on a {@link StoreEngine}: the cookie holds its signed id. */
class StoreSession<Data extends SessionData> extends SessionState<Data> {
  /** The verified id in the cookie, and its store key; unset without a valid cookie. */
  id: string | undefined
  key: string | undefined
  keyIndex = 0
  /** The record as loaded, or `undefined` when the id was unknown or expired. */
  record: SessionRecord | undefined
  /** The "remember me" choice as loaded, to tell whether the cookie must change with it. */
  loadedPersistent: unknown

  constructor(
    readonly engine: StoreEngine<Data>,
    readonly cookieHeader: string | null | undefined,
    readonly context: RequestContext | undefined,
  ) {
    super()
  }

  override get handle(): string | undefined {
    return this.record === undefined ? undefined : this.key
  }

  protected override fetchSource(): SessionSource | Promise<SessionSource> {
    return this.engine.load(this)
  }

  protected override plan(): CommitPlan {
    return this.engine.plan(this)
  }

  protected override reportLateWrite(key: string): void {
    reportLateWrite(this.engine.options, key)
  }
}

/**
 * Sessions kept in a {@link Store}; the cookie holds only a signed random id. Implements the same
 * {@link Engine} contract as cookie sessions, so every adapter takes it.
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
      secure: cookie.httpsOnly === true,
      domain: cookie.domain,
      partitioned: cookie.partitioned,
    })
  }

  /** A session for a request with this `Cookie` header; the store is asked only when it is loaded. */
  open(cookieHeader: string | null | undefined, context?: RequestContext): OpenedSession<Data> {
    return new StoreSession<Data>(this, cookieHeader, context)
  }

  /**
   * What committing `s` does: the headers, known at once, and the store work behind them (a write if
   * it changed, an expiry push when due, a delete when emptied). The work resolves to other headers
   * when the session turned out to be gone (revoked or expired meanwhile) or a new id had to be drawn.
   */
  plan(s: StoreSession<Data>): CommitPlan {
    if (!s.loaded) return { result: NOTHING }
    const now = this.options.now()
    const data = s.data
    if (isEmpty(data)) {
      if (s.key === undefined) return { result: VARY_ONLY }
      const key = s.key
      const result = this.#clearCookie(s)
      if (s.record === undefined) return { result }
      return {
        result,
        run: () => this.#call('destroy', () => this.settings.store.destroy(key)).then(() => result),
      }
    }
    if (s.record === undefined || s.regenerated) return this.#planCreate(s, now)
    const record = s.record
    // `changed` is also true after set() of an equal value; only a real difference is written.
    const changes = s.changed ? diff(parseSessionJson((s.source as SessionSource).json), data) : undefined
    const result = shouldResendCookie(s)
      ? { setCookie: this.#cookie(s, this.#ids.sign(s.id as string), data, record, now), vary: true }
      : VARY_ONLY
    const key = s.key as string
    if (changes !== undefined && hasChanges(changes)) {
      return {
        result,
        run: async () => {
          const written = await this.#write(key, record, data, changes, now)
          // Revoked or expired while this request ran: revocation wins over the request's changes. The
          // cookie is left alone: the browser may hold a newer one by now (a sign-in that raced this
          // request regenerated the session), and a response never clears a cookie it did not receive.
          if (written === undefined) return VARY_ONLY
          if (result === VARY_ONLY) return result
          const setCookie = this.#cookie(s, this.#ids.sign(s.id as string), data, written, now)
          return setCookie === result.setCookie ? result : { setCookie, vary: true }
        },
      }
    }
    if (shouldTouch(record, now, this.settings)) {
      return { result, run: () => this.#touch(key, record, now).then(() => result) }
    }
    return { result }
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
    return revokeUserSessions(this.settings, userId, this.options.now(), options.except?.handle)
  }

  /**
   * What the request's session starts from: the record of the id in its cookie. Only the last value
   * under the cookie's name is tried, as the cookie engine does.
   */
  load(s: StoreSession<Data>): SessionSource | Promise<SessionSource> {
    const value = readCookieValue(s.cookieHeader, this.options.sessionCookie)
    if (value === undefined) return newSource()
    const verified = this.#verified.verify(value)
    if (verified === undefined) {
      this.#reject(new BadSignature('session id cookie is not signed by this server'))
      return newSource()
    }
    s.id = verified.id
    s.key = verified.key
    s.keyIndex = verified.keyIndex
    return this.#fetch(s, verified.key, verified.keyIndex)
  }

  async #fetch(s: StoreSession<Data>, key: string, keyIndex: number): Promise<SessionSource> {
    const found = await this.#call('get', () => this.settings.store.get(key))
    const record = found !== undefined && !isExpired(found, this.options.now()) ? found : undefined
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
    s.record = record
    s.loadedPersistent = data[PERSISTENT_KEY]
    return { data, json: record.data, issuedAt: Math.floor(record.createdAt / 1000), keyIndex }
  }

  #planCreate(s: StoreSession<Data>, now: number): CommitPlan {
    const data = s.data
    const record = newRecord(stringifySession(data), this.#userOf(data), now, this.settings)
    const id = newSessionId()
    const result = { setCookie: this.#cookie(s, this.#ids.sign(id), data, record, now), vary: true }
    const previous = s.record === undefined ? undefined : s.key
    const run = async (): Promise<CommitResult> => {
      let stored = result
      // 256 random bits never collide in practice; a refusal means a bug or a tampered store, so retry once.
      if (!(await this.#call('set', () => this.settings.store.set(hashSessionId(id), record)))) {
        const second = newSessionId()
        if (!(await this.#call('set', () => this.settings.store.set(hashSessionId(second), record)))) {
          throw new StoreUnavailable('session store refused to create a new session')
        }
        stored = { setCookie: this.#cookie(s, this.#ids.sign(second), data, record, now), vary: true }
      }
      // Session fixation defence: the id the client had before regenerate() no longer works.
      if (previous !== undefined) await this.#call('destroy', () => this.settings.store.destroy(previous))
      return stored
    }
    return { result, run }
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
    if (store.merge !== undefined) {
      // One atomic round trip, no retry. 50 concurrent writes to one Redis session: 13.7 lost
      // compare-and-sets (each a backoff and a re-read) and 31.6 store calls per write, 14 writes/s ->
      // 0, 2 and 331 writes/s (bench/micro/store-contention.ts); the store suite's 50-concurrent-writes
      // test runs on both paths (Redis, PostgreSQL and SQLite merge; the memory store compare-and-sets).
      const merge = store.merge.bind(store)
      const update: MergeUpdate = { expiresAt: idleExpiry(now, loaded.absoluteExpiresAt, this.settings) }
      const userKey = this.settings.userKey
      if (changes.set.has(userKey) || changes.removed.includes(userKey)) update.userId = this.#userOf(changed)
      return this.#call('merge', () => merge(key, toJson(changes), update))
    }
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

  #cookie(
    s: StoreSession<Data>,
    value: string,
    data: SessionData,
    record: SessionRecord,
    now: number,
  ): string {
    const persistent =
      typeof data[PERSISTENT_KEY] === 'boolean' ? data[PERSISTENT_KEY] : this.settings.persistent
    const maxAge = persistent ? cookieMaxAge(record, now) : null
    const secure = shouldBeSecure(this.options, s.context)
    return serializeCookie(this.options.sessionCookie, value, { ...this.#attributes, maxAge, secure })
  }

  #clearCookie(s: StoreSession<Data>): CommitResult {
    const secure = shouldBeSecure(this.options, s.context)
    const attributes = { ...this.#attributes, secure }
    return { setCookie: serializeClearingCookie(this.options.sessionCookie, attributes), vary: true }
  }

  #userOf(data: SessionData): string | null {
    const user = data[this.settings.userKey]
    if (typeof user === 'string') {
      checkUserId(user)
      return user
    }
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
function shouldResendCookie(s: StoreSession<SessionData>): boolean {
  return s.keyIndex > 0 || s.data[PERSISTENT_KEY] !== s.loadedPersistent
}
