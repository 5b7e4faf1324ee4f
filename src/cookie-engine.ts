import type { ChunkPolicy, CookieCodec } from './codec/format.ts'
import { parseSessionJson, stringifyPreserving, stringifySession } from './codec/json.ts'
import {
  chunkCapacity,
  chunkName,
  chunksIn,
  fitsOneCookie,
  readChunkedValue,
  splitValue,
} from './cookie/chunks.ts'
import { cookieSize, MAX_NAME_AND_VALUE_BYTES } from './cookie/limits.ts'
import { readCookieValue } from './cookie/parse.ts'
import { type CookieAttributes, serializeClearingCookie, serializeCookie } from './cookie/serialize.ts'
import { createdAt, issueTime, shouldClear, shouldSetCookie } from './cookie-decisions.ts'
import { type CookieOpenedSession, type Engine, reportLateWrite, shouldBeSecure } from './engine.ts'
import { BadData, CookieTooLarge, SignatureExpired } from './errors.ts'
import type { ResolvedOptions, SessionOptions } from './options.ts'
import type { RequestContext } from './proxy.ts'
import { resolveOptions } from './resolve-options.ts'
import { checkSessionData } from './schema.ts'
import { CREATED_KEY, PERSISTENT_KEY, type SessionData } from './session.ts'
import {
  type CommitPlan,
  type CommitResult,
  NOTHING,
  type SessionSource,
  SessionState,
  VARY_ONLY,
} from './session-state.ts'

/** The session of one request on a {@link CookieEngine}: the data travels in the cookie. */
class CookieSession<Data extends SessionData> extends SessionState<Data> {
  constructor(
    readonly engine: CookieEngine<Data>,
    readonly cookieHeader: string | null | undefined,
    readonly context: RequestContext | undefined,
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
    return { result: this.engine.headersFor(this, this.cookieHeader, this.context) }
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
  /** The format's chunk policy: set only for formats that may span several cookies (sealed, opt-in). */
  readonly #chunks: ChunkPolicy | undefined
  /** The longest value a request may carry: one cookie's worth, or all the chunks'. */
  readonly #maxValueLength: number

  /** @throws {import('./errors.ts').ConfigError} when an option is invalid. */
  constructor(options: SessionOptions) {
    this.options = resolveOptions(options)
    const o = this.options
    this.format = o.format.create({ secrets: o.secretKey, maxAge: o.maxAge, clockSkew: o.clockSkew })
    this.#attributes = Object.freeze({
      path: o.path,
      maxAge: o.maxAge,
      sameSite: o.sameSite,
      secure: o.httpsOnly === true,
      domain: o.domain,
      partitioned: o.partitioned,
    })
    this.#browserSessionAttributes = Object.freeze({ ...this.#attributes, maxAge: null })
    this.#chunks = o.format.chunks
    this.#maxValueLength =
      this.#chunks === undefined ? MAX_NAME_AND_VALUE_BYTES : chunkCapacity(o.sessionCookie, this.#chunks.max)
  }

  /** A session for a request with this `Cookie` header; nothing is parsed until the session is used. */
  open(cookieHeader: string | null | undefined, context?: RequestContext): CookieOpenedSession<Data> {
    return new CookieSession<Data>(this, cookieHeader, context)
  }

  /**
   * The headers a session needs now. `cookieHeader`, the request's, tells a chunked format which
   * chunks the browser holds and may have to delete.
   * @throws {CookieTooLarge} when it no longer fits in a cookie (or in the chunks allowed).
   */
  headersFor(
    state: SessionState<Data>,
    cookieHeader?: string | null,
    context?: RequestContext,
  ): CommitResult {
    if (!state.loaded) return NOTHING
    const secure = shouldBeSecure(this.options, context)
    if (shouldClear(state)) {
      const setCookie = serializeClearingCookie(this.options.sessionCookie, secured(this.#attributes, secure))
      return this.#withStaleChunks(setCookie, cookieHeader, 0, secure)
    }
    const now = this.#now()
    if (!shouldSetCookie(state, this.options, now)) return VARY_ONLY
    const source = state.source as SessionSource
    const { data, endsAt } = this.#withCreated(state, now)
    // Values the request did not change go back as their writer (maybe Python) wrote them.
    const json =
      source.issuedAt === undefined ? stringifySession(data) : stringifyPreserving(data, source.json)
    return this.#issue(json, data, now, issueTime(source, now), endsAt, cookieHeader, secure)
  }

  /**
   * The cookies carrying `json`: one, or with a chunked format and a session too large for one, its
   * chunks, deleting whatever the browser holds that no longer belongs to the session.
   * @throws {CookieTooLarge} when it fits neither in one cookie nor in the chunks allowed.
   */
  #issue(
    json: string,
    data: SessionData,
    now: number,
    issuedAt: number,
    endsAt: number | undefined,
    cookieHeader: string | null | undefined,
    secure: boolean,
  ): CommitResult {
    const chunks = this.#chunks
    if (chunks === undefined)
      return { setCookie: this.#cookie(json, data, now, issuedAt, endsAt, secure), vary: true }
    const name = this.options.sessionCookie
    const value = this.format.encode(json, issuedAt)
    const attributes = this.#attributesFor(data, now, issuedAt, endsAt, secure)
    if (fitsOneCookie(name, value)) {
      return this.#withStaleChunks(serializeCookie(name, value, attributes), cookieHeader, 0, secure)
    }
    const pieces = splitValue(name, value, chunks.max)
    if (pieces === undefined) {
      throw new CookieTooLarge(name, cookieSize(name, value), chunkCapacity(name, chunks.max))
    }
    const cookies = pieces.map((piece, index) => serializeCookie(chunkName(name, index), piece, attributes))
    const [first, ...rest] = cookies as [string, ...string[]]
    const replaced = this.#withStaleChunks(first, cookieHeader, pieces.length, secure)
    const extra = [...rest, ...(replaced.extraSetCookies ?? [])]
    // The session no longer travels in one cookie: delete the plain one the browser may hold.
    if (readCookieValue(cookieHeader, name) !== undefined) {
      extra.push(serializeClearingCookie(name, secured(this.#attributes, secure)))
    }
    return { setCookie: first, extraSetCookies: extra, vary: true }
  }

  /**
   * `setCookie`, and the deletion of every chunk from `from` on that the request carried (none for an
   * unchunked format: the common path allocates nothing more).
   */
  #withStaleChunks(
    setCookie: string,
    cookieHeader: string | null | undefined,
    from: number,
    secure: boolean,
  ): CommitResult {
    const chunks = this.#chunks
    if (chunks === undefined) return { setCookie, vary: true }
    const name = this.options.sessionCookie
    const stale = chunksIn(cookieHeader, name, chunks.max).filter((index) => index >= from)
    if (stale.length === 0) return { setCookie, vary: true }
    const extraSetCookies = stale.map((index) =>
      serializeClearingCookie(chunkName(name, index), secured(this.#attributes, secure)),
    )
    return { setCookie, extraSetCookies, vary: true }
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
    return this.#cookie(stringifySession(data), data, now, now, undefined, this.options.httpsOnly === true)
  }

  /**
   * What a `Cookie` header's session cookie holds, or a new session when it holds nothing valid.
   * Only the last value under the cookie's name is tried, as Starlette does (Python's cookie parser
   * keeps the last of repeated names): both apps see the same user, and a header repeating the name
   * costs one verification, not one per repeat.
   */
  decode(cookieHeader: string | null | undefined): SessionSource {
    const name = this.options.sessionCookie
    const value =
      this.#chunks === undefined
        ? readCookieValue(cookieHeader, name)
        : readChunkedValue(cookieHeader, name, this.#chunks.max)
    if (value === undefined) return NEW_SESSION
    // A value that could not have been sent by a browser is not worth an HMAC.
    if (value.length > this.#maxValueLength) {
      this.#reject(
        new BadData(`cookie value of ${value.length} bytes is over the ${this.#maxValueLength}-byte limit`),
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
    secure: boolean,
  ): string {
    const name = this.options.sessionCookie
    const value = this.format.encode(json, issuedAt)
    // Fast path: UTF-8 takes at most 3 bytes per UTF-16 unit, so a cookie of at most 4096 / 3 units
    // fits without counting its bytes (no ASCII regular-expression scans of name and value per write).
    if ((name.length + value.length) * 3 > MAX_NAME_AND_VALUE_BYTES) {
      const size = cookieSize(name, value)
      if (size > MAX_NAME_AND_VALUE_BYTES) throw new CookieTooLarge(name, size, MAX_NAME_AND_VALUE_BYTES)
    }
    return serializeCookie(name, value, this.#attributesFor(data, now, issuedAt, endsAt, secure))
  }

  /** The attributes of a cookie issued at `issuedAt`, with the Max-Age left at `now` (see {@link #cookie}). */
  #attributesFor(
    data: SessionData,
    now: number,
    issuedAt: number,
    endsAt: number | undefined,
    secure: boolean,
  ): CookieAttributes {
    const attributes = secured(
      data[PERSISTENT_KEY] === false ? this.#browserSessionAttributes : this.#attributes,
      secure,
    )
    if (attributes.maxAge === null || (issuedAt === now && endsAt === undefined)) return attributes
    const left = Math.min(
      attributes.maxAge - (now - issuedAt),
      endsAt === undefined ? Infinity : endsAt - now,
    )
    return { ...attributes, maxAge: Math.max(1, left) }
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

/** `attributes` with Secure as `secure` says; the same object when it already does (the common path). */
function secured(attributes: CookieAttributes, secure: boolean): CookieAttributes {
  return attributes.secure === secure ? attributes : { ...attributes, secure }
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
