import type { CookieCodec } from './codec/format.ts'
import { parseSessionJson, stringifySession } from './codec/json.ts'
import { cookieSize, MAX_NAME_AND_VALUE_BYTES } from './cookie/limits.ts'
import { readCookieValues } from './cookie/parse.ts'
import { type CookieAttributes, serializeClearingCookie, serializeCookie } from './cookie/serialize.ts'
import { BadData, CookieTooLarge } from './errors.ts'
import { type ResolvedOptions, resolveOptions, type SessionOptions } from './options.ts'
import { checkSessionData } from './schema.ts'
import {
  PERSISTENT_KEY,
  Session,
  type SessionData,
  type SessionSource,
  type SessionState,
} from './session.ts'

/** What a response needs after a session was used. */
export interface CommitResult {
  /** A `Set-Cookie` header value to append, or `undefined` when the cookie stays as it is. */
  setCookie: string | undefined
  /** Whether to append `Vary: Cookie`: the session was read, so the response depends on the cookie. */
  vary: boolean
}

/**
 * What every engine offers adapters, whether the session lives in the cookie or in a store:
 * `open` is cheap and lazy, `commit` may be asynchronous (a store write).
 */
export interface Engine<Data extends SessionData = SessionData> {
  readonly options: ResolvedOptions
  /** A session for a request with this `Cookie` header; nothing is read until it is used. */
  open(cookieHeader: string | null | undefined): Session<Data>
  /** The headers the response needs; call once, before the response headers are sent. */
  commit(session: Session<Data>): CommitResult | Promise<CommitResult>
}

const NOTHING: CommitResult = Object.freeze({ setCookie: undefined, vary: false })
const VARY_ONLY: CommitResult = Object.freeze({ setCookie: undefined, vary: true })

/**
 * The framework-agnostic core: `open(cookieHeader)` gives a lazy {@link Session}, `commit(session)`
 * gives the headers to send. Adapters only move these two strings between the framework and here.
 */
export class SessionEngine<Data extends SessionData = SessionData> implements Engine<Data> {
  /** The validated options. */
  readonly options: ResolvedOptions
  /** The cookie format in use, bound to the engine's secrets. */
  readonly format: CookieCodec
  readonly #attributes: CookieAttributes
  readonly #browserSessionAttributes: CookieAttributes
  readonly #onLateWrite = (key: string) => lateWrite(this.options.sessionCookie, key)

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
  open(cookieHeader: string | null | undefined): Session<Data> {
    if (!cookieHeader) return new Session<Data>()
    return new Session<Data>(() => this.#decode(cookieHeader))
  }

  /**
   * The headers the response needs for this session. Call once, before the response headers are sent.
   * @throws {CookieTooLarge} when the session no longer fits in a cookie; nothing is sent then, so
   * the client keeps its previous cookie.
   */
  commit(session: Session<Data>): CommitResult {
    this.confirm(session)
    return this.preview(session)
  }

  /**
   * @internal The headers {@link commit} would give now, without marking the session committed: for
   * adapters that put the headers on the response before the handler has finished (the Hono adapter
   * does, to keep its fast path). They call {@link confirm} when the preview is still current at the
   * end, or {@link commit} when it is not.
   * @throws {CookieTooLarge} as {@link commit} does.
   */
  preview(session: Session<Data>): CommitResult {
    const state = Session.state(session as Session<SessionData>)
    if (!state.loaded) return NOTHING
    const now = this.#now()
    if (shouldClear(state)) {
      return { setCookie: serializeClearingCookie(this.options.sessionCookie, this.#attributes), vary: true }
    }
    if (!shouldSetCookie(state, this.options, now)) return VARY_ONLY
    return { setCookie: this.serialize(state.data, now), vary: true }
  }

  /** @internal Marks the session committed: a later change is reported instead of silently lost. */
  confirm(session: Session<Data>): void {
    Session.markCommitted(session as Session<SessionData>, this.#onLateWrite)
  }

  /**
   * A `Set-Cookie` value carrying `data`, issued at `now` (seconds).
   * @throws {CookieTooLarge} when name and value exceed the browser limit.
   */
  serialize(data: SessionData, now: number = this.#now()): string {
    const name = this.options.sessionCookie
    const value = this.format.encode(stringifySession(data), now)
    const size = cookieSize(name, value)
    if (size > MAX_NAME_AND_VALUE_BYTES) throw new CookieTooLarge(name, size, MAX_NAME_AND_VALUE_BYTES)
    const attributes = data[PERSISTENT_KEY] === false ? this.#browserSessionAttributes : this.#attributes
    return serializeCookie(name, value, attributes)
  }

  #decode(cookieHeader: string): SessionSource {
    const now = this.#now()
    for (const value of readCookieValues(cookieHeader, this.options.sessionCookie)) {
      // A value that could not have been sent by a browser is not worth an HMAC.
      if (value.length > MAX_NAME_AND_VALUE_BYTES) {
        this.#reject(
          new BadData(
            `cookie value of ${value.length} bytes is over the ${MAX_NAME_AND_VALUE_BYTES}-byte limit`,
          ),
        )
        continue
      }
      try {
        const decoded = this.format.decode(value, now)
        const source = { ...decoded, data: parseSessionJson(decoded.json) }
        if (this.options.schema !== undefined) checkSessionData(this.options.schema, source.data)
        return source
      } catch (error) {
        if (!(error instanceof BadData)) throw error
        this.#reject(error)
      }
    }
    return { data: {}, json: '{}', issuedAt: undefined, keyIndex: 0 }
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

/** Creates a {@link SessionEngine}. Throws at once when an option is invalid. */
export function createSessionEngine<Data extends SessionData = SessionData>(
  options: SessionOptions,
): SessionEngine<Data> {
  return new SessionEngine<Data>(options)
}

/** The engine itself when given one, else a cookie {@link SessionEngine} built from the options. */
export function toEngine<Data extends SessionData>(options: SessionOptions | Engine<Data>): Engine<Data> {
  return typeof (options as Engine<Data>).commit === 'function'
    ? (options as Engine<Data>)
    : new SessionEngine<Data>(options as SessionOptions)
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

/** Whether session data has no key of its own. */
export function isEmpty(data: SessionData): boolean {
  for (const key in data) if (Object.hasOwn(data, key)) return false
  return true
}

/** Reports a session change made after its response headers were sent (every engine's late-write hook). */
export function lateWrite(cookieName: string, key: string): void {
  console.error(
    `tessera: session "${cookieName}" was changed (key ${JSON.stringify(key)}) after its response headers were sent; ` +
      'the change is lost. Change the session before sending or streaming the response.',
  )
}
