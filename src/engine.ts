import type { CookieCodec } from './codec/format.ts'
import { parseSessionJson, stringifyPreserving, stringifySession } from './codec/json.ts'
import { cookieSize, MAX_NAME_AND_VALUE_BYTES } from './cookie/limits.ts'
import { readCookieValue } from './cookie/parse.ts'
import { type CookieAttributes, serializeClearingCookie, serializeCookie } from './cookie/serialize.ts'
import { BadData, CookieTooLarge, SignatureExpired } from './errors.ts'
import { type ResolvedOptions, resolveOptions, type SessionOptions } from './options.ts'
import { checkSessionData } from './schema.ts'
import { CREATED_KEY, isEmpty, PERSISTENT_KEY, type Session, type SessionData } from './session.ts'
import {
  type CommitPlan,
  type CommitResult,
  NOTHING,
  type SessionSource,
  SessionState,
  VARY_ONLY,
} from './session-state.ts'

export type { CommitResult }

/**
 * One request's session as an engine hands it to an adapter: the {@link Session} for handlers, and
 * the commit. Every engine gives the same, so an adapter never asks which engine it has.
 */
export interface OpenedSession<Data extends SessionData = SessionData> {
  readonly session: Session<Data>
  /**
   * The headers a commit now would give, without committing: for adapters that must put headers on
   * the response before the handler has finished. A later {@link commit} of an unchanged session
   * returns the very same object, so `commit() === preview()` tells that the early headers hold.
   * @throws {CookieTooLarge} as {@link commit} does.
   */
  preview(): CommitResult
  /**
   * The headers the response needs; call once, before the response headers are sent. Synchronous
   * for cookie sessions, a Promise when a store has to be written.
   * @throws {CookieTooLarge} when the session no longer fits in a cookie (nothing is sent, the
   * client keeps its previous cookie); a store engine rejects with `StoreUnavailable` when the store fails.
   */
  commit(): CommitResult | Promise<CommitResult>
  /**
   * Called once, when a handler first uses or loads the session, before anything is read; never for
   * a request that leaves its session alone. Adapters set it to hook the response only when a commit
   * can have something to send (an unused session commits nothing).
   */
  onUse?: (() => void) | undefined
}

/** An {@link OpenedSession} whose commit never waits: the cookie engine's. */
export interface CookieOpenedSession<Data extends SessionData = SessionData> extends OpenedSession<Data> {
  commit(): CommitResult
}

/**
 * What every engine offers adapters, whether the session lives in the cookie or in a store: `open` is
 * cheap and lazy, and what it returns commits itself.
 */
export interface Engine<Data extends SessionData = SessionData> {
  readonly options: ResolvedOptions
  /** A session for a request with this `Cookie` header; nothing is read until it is used. */
  open(cookieHeader: string | null | undefined): OpenedSession<Data>
}

/** The session of one request on a {@link CookieEngine}: the data travels in the cookie. */
class CookieSession<Data extends SessionData> extends SessionState<Data> {
  constructor(
    readonly engine: CookieEngine<Data>,
    readonly cookieHeader: string | null | undefined,
  ) {
    super()
  }

  protected override fetchSource(): SessionSource {
    return this.engine.decode(this.cookieHeader)
  }

  /** Synchronous: the data travels in the cookie, there is nothing to wait for. */
  override commit(): CommitResult {
    return super.commit() as CommitResult
  }

  protected override plan(): CommitPlan {
    return { result: this.engine.headersFor(this) }
  }

  protected override reportLateWrite(key: string): void {
    reportLateWrite(this.engine.options, key)
  }
}

const NEW_SESSION: SessionSource = Object.freeze({ data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 })

/**
 * Sessions kept in the cookie itself, in Starlette's format by default: `open(cookieHeader)` gives a
 * lazy session, its commit gives the headers to send. Adapters only move strings between the
 * framework and here.
 */
export class CookieEngine<Data extends SessionData = SessionData> implements Engine<Data> {
  /** The validated options. */
  readonly options: ResolvedOptions
  /** The cookie format in use, bound to the engine's secrets. */
  readonly format: CookieCodec
  readonly #attributes: CookieAttributes
  readonly #browserSessionAttributes: CookieAttributes

  /** @throws {import('./errors.ts').ConfigError} when an option is invalid. */
  constructor(options: SessionOptions) {
    this.options = resolveOptions(options)
    const o = this.options
    this.format = o.format.create({ secrets: o.secretKey, maxAge: o.maxAge, clockSkew: o.clockSkew })
    this.#attributes = Object.freeze({
      path: o.path,
      maxAge: o.maxAge,
      sameSite: o.sameSite,
      secure: o.httpsOnly,
      domain: o.domain,
      partitioned: o.partitioned,
    })
    this.#browserSessionAttributes = Object.freeze({ ...this.#attributes, maxAge: null })
  }

  /** A session for a request with this `Cookie` header; nothing is parsed until the session is used. */
  open(cookieHeader: string | null | undefined): CookieOpenedSession<Data> {
    return new CookieSession<Data>(this, cookieHeader)
  }

  /**
   * The headers a session needs now.
   * @throws {CookieTooLarge} when it no longer fits in a cookie.
   */
  headersFor(state: SessionState<Data>): CommitResult {
    if (!state.loaded) return NOTHING
    if (shouldClear(state)) {
      return { setCookie: serializeClearingCookie(this.options.sessionCookie, this.#attributes), vary: true }
    }
    const now = this.#now()
    if (!shouldSetCookie(state, this.options, now)) return VARY_ONLY
    const source = state.source as SessionSource
    const { data, endsAt } = this.#withCreated(state, now)
    // Values the request did not change go back as their writer (maybe Python) wrote them.
    const json =
      source.issuedAt === undefined ? stringifySession(data) : stringifyPreserving(data, source.json)
    return { setCookie: this.#cookie(json, data, now, issueTime(source, now), endsAt), vary: true }
  }

  /**
   * With an `absoluteTimeout`: the data to write, carrying when the session started (kept, or now for
   * a new or regenerated session), and when it ends. The session's own data is left as it is.
   */
  #withCreated(state: SessionState<Data>, now: number): { data: SessionData; endsAt: number | undefined } {
    const limit = this.options.absoluteTimeout
    if (limit === null) return { data: state.data, endsAt: undefined }
    const source = state.source as SessionSource
    const created =
      state.regenerated || source.issuedAt === undefined ? now : createdAt(state.data, source.issuedAt)
    const data = state.data[CREATED_KEY] === created ? state.data : { ...state.data, [CREATED_KEY]: created }
    return { data, endsAt: created + limit }
  }

  /**
   * A `Set-Cookie` value carrying `data`, issued at `now` (seconds).
   * @throws {CookieTooLarge} when name and value exceed the browser limit.
   */
  serialize(data: SessionData, now: number = this.#now()): string {
    return this.#cookie(stringifySession(data), data, now, now, undefined)
  }

  /**
   * What a `Cookie` header's session cookie holds, or a new session when it holds nothing valid.
   * Only the last value under the cookie's name is tried, as Starlette does (Python's cookie parser
   * keeps the last of repeated names): both apps see the same user, and a header repeating the name
   * costs one verification, not one per repeat.
   */
  decode(cookieHeader: string | null | undefined): SessionSource {
    const value = readCookieValue(cookieHeader, this.options.sessionCookie)
    if (value === undefined) return NEW_SESSION
    // A value that could not have been sent by a browser is not worth an HMAC.
    if (value.length > MAX_NAME_AND_VALUE_BYTES) {
      this.#reject(
        new BadData(
          `cookie value of ${value.length} bytes is over the ${MAX_NAME_AND_VALUE_BYTES}-byte limit`,
        ),
      )
      return NEW_SESSION
    }
    try {
      const decoded = this.format.decode(value, this.#now())
      const data = parseSessionJson(decoded.json)
      if (this.options.schema !== undefined) checkSessionData(this.options.schema, data)
      const limit = this.options.absoluteTimeout
      if (limit !== null) {
        const created = createdAt(data, decoded.issuedAt)
        if (this.#now() - created >= limit) {
          throw new SignatureExpired('session is past its absoluteTimeout', new Date(created * 1000))
        }
      }
      return { data, json: decoded.json, issuedAt: decoded.issuedAt, keyIndex: decoded.keyIndex }
    } catch (error) {
      if (!(error instanceof BadData)) throw error
      this.#reject(error)
      return NEW_SESSION
    }
  }

  /**
   * The cookie carrying `json`, signed as issued at `issuedAt`, with the Max-Age left at `now`: what
   * the issue time leaves of `maxAge`, and never past `endsAt` (the absolute timeout).
   */
  #cookie(
    json: string,
    data: SessionData,
    now: number,
    issuedAt: number,
    endsAt: number | undefined,
  ): string {
    const name = this.options.sessionCookie
    const value = this.format.encode(json, issuedAt)
    const size = cookieSize(name, value)
    if (size > MAX_NAME_AND_VALUE_BYTES) throw new CookieTooLarge(name, size, MAX_NAME_AND_VALUE_BYTES)
    let attributes = data[PERSISTENT_KEY] === false ? this.#browserSessionAttributes : this.#attributes
    if (attributes.maxAge !== null && (issuedAt !== now || endsAt !== undefined)) {
      const left = Math.min(
        attributes.maxAge - (now - issuedAt),
        endsAt === undefined ? Infinity : endsAt - now,
      )
      attributes = { ...attributes, maxAge: Math.max(1, left) }
    }
    return serializeCookie(name, value, attributes)
  }

  #reject(error: BadData): void {
    try {
      this.options.onInvalid?.(error)
    } catch {
      // An observer's own failure must not turn bad input into a failed request.
    }
  }

  #now(): number {
    return Math.floor(this.options.now() / 1000)
  }
}

/** Creates a {@link CookieEngine}. Throws at once when an option is invalid. */
export function createSessionEngine<Data extends SessionData = SessionData>(
  options: SessionOptions,
): CookieEngine<Data> {
  return new CookieEngine<Data>(options)
}

/** The engine itself when given one, else a {@link CookieEngine} built from the options. */
export function toEngine<Data extends SessionData>(options: SessionOptions | Engine<Data>): Engine<Data> {
  return typeof (options as Engine<Data>).open === 'function'
    ? (options as Engine<Data>)
    : new CookieEngine<Data>(options as SessionOptions)
}

/** The session had data when the request came in and has none now: delete the cookie. */
export function shouldClear(state: SessionState): boolean {
  return isEmpty(state.data) && state.source?.issuedAt !== undefined
}

/**
 * A non-empty session gets a new cookie when it changed, when it was verified by an older key
 * (rotation), or when sliding expiry says the cookie is due for a refresh.
 */
export function shouldSetCookie(state: SessionState, options: ResolvedOptions, now: number): boolean {
  if (isEmpty(state.data)) return false
  if (state.changed) return true
  const source = state.source as SessionSource
  return source.keyIndex > 0 || shouldRefresh(source, options, now)
}

/**
 * The cookie is older than `refreshAfter`. Age is measured on the server's clock against the
 * issued-at time the server itself signed, so the client's clock never matters; Max-Age (not
 * Expires) is sent for the same reason.
 */
export function shouldRefresh(source: SessionSource, options: ResolvedOptions, now: number): boolean {
  return (
    options.refreshAfter !== null &&
    source.issuedAt !== undefined &&
    now - source.issuedAt >= options.refreshAfter
  )
}

/** When a session started: its `_tessera.created`, or, for a cookie written before the option (or by Python), its issue time. */
function createdAt(data: SessionData, issuedAt: number): number {
  const created = data[CREATED_KEY]
  return typeof created === 'number' && Number.isFinite(created) ? Math.min(created, issuedAt) : issuedAt
}

/**
 * When a re-issued cookie says it was issued. A cookie verified by an older key keeps its original
 * time when the newest key re-signs it: rotation must not launder it into a fresh one, or a cookie
 * forged with a weak old key would live on after that key is removed. Any other cookie is issued now.
 */
export function issueTime(source: SessionSource, now: number): number {
  return source.keyIndex > 0 && source.issuedAt !== undefined ? Math.min(source.issuedAt, now) : now
}

/** Reports a session change made after its response headers were sent (every engine's late-write hook). */
export function reportLateWrite(options: ResolvedOptions, key: string): void {
  options.logger.error(
    `session "${options.sessionCookie}" was changed (key ${JSON.stringify(key)}) after its response headers were sent; ` +
      'the change is lost. Change the session before sending or streaming the response.',
  )
}
