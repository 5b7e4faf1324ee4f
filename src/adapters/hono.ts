import type { Context, MiddlewareHandler } from 'hono'
import { toEngine } from '../cookie-engine.ts'
import {
  CSRF_HEADER,
  type CsrfOptions,
  checkCsrf,
  isFormContentType,
  isSafeMethod,
  resolveCsrfOptions,
} from '../csrf.ts'
import type { Engine, OpenedSession } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { Logger } from '../logger.ts'
import type { ResolvedOptions, SessionOptions } from '../options.ts'
import type { RequestContext } from '../proxy.ts'
import type { Session, SessionData } from '../session.ts'
import { type CommitResult, NOTHING } from '../session-state.ts'
import { CommitFailure, commitFor, failureFor, NO_STORE, setCookiesOf, varyWithCookie } from './commit.ts'
import { fetchCsrfRequest } from './csrf-request.ts'
import { fetchContext } from './request-context.ts'

/** Hono environment the middleware adds: `c.get('session')` / `c.var.session`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> }
}

/**
 * Hono middleware: `c.var.session` is the request's session, committed after the handler.
 * A handler that throws (or answers 5xx) leaves the cookie as it was (no half-written session).
 * A session store that is down or slow (`StoreUnavailable`, on load or commit) gives a 503.
 * With a store engine, `await c.var.session.load()` before using it.
 *
 * Why the headers go on early: with @hono/node-server, a header set after `await next()` makes Hono
 * rebuild the response around its body stream, which costs more than the whole session (measured: a
 * bare app fell from about 75k to 16k requests/s). Headers set before the response is built travel in
 * Hono's prepared headers instead. So the response builders of the context (`c.text`, `c.json`,
 * `c.body`, `c.html`, `c.newResponse`, and what uses them: `c.redirect`, renderers, streaming helpers)
 * first put the session's headers on it, as the engine previews them at that moment. When the handler
 * returns the response so built and the commit gives the same headers (the session has not changed
 * since, and a store accepted the write), nothing is left to do; otherwise (the session changed after
 * the response was built, the handler made its own `Response`, the store said otherwise, or it failed)
 * the response is corrected after `next()` the slow, safe way, with the same outcome as committing
 * after `next()`. Cookie and store engines take the same path.
 *
 * @example
 * const app = new Hono<SessionEnv<{ user: string }>>()
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.get('/', (c) => c.text(c.var.session.get('user') ?? 'anonymous'))
 */
export function sessions<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  const engine = toEngine(options)
  const logger = engine.options.logger
  return async function tesseraSession(c, next) {
    const opened = engine.open(c.req.header('cookie'), honoContext(engine.options, c))
    c.set('session', opened.session)
    const early = new EarlyCommit(c, opened, logger)
    await next()
    const finishing = early.finish()
    if (finishing !== undefined) await finishing
  }
}

type Builder = (data: unknown, arg?: unknown, headers?: unknown) => Response
type Builders = Record<(typeof BUILDERS)[number], Builder>

/** The context methods that build the response; each takes at most three arguments. */
const BUILDERS = ['body', 'text', 'json', 'html', 'newResponse'] as const

/**
 * Watches the context's response builders: `last` is the last response one of them made in this
 * request (a fresh object, safe to change in place); `before` runs before each build.
 */
class Builds {
  last: Response | undefined

  constructor(c: Context, before?: () => void) {
    const builders = c as unknown as Builders
    for (const name of BUILDERS) {
      // Hono's builders are arrow functions bound to their context: no `this` to carry over.
      const build = builders[name]
      builders[name] = (data, arg, headers) => {
        before?.()
        const response = build(data, arg, headers)
        this.last = response
        return response
      }
    }
  }
}

/** One request's session headers, sent early when possible. */
class EarlyCommit<Data extends SessionData> {
  /** What was put in the prepared headers. */
  #sent: CommitResult | undefined
  /** The builds of this request: the last one carries the prepared headers, and is safe to correct. */
  readonly #builds: Builds
  #tried = false
  /** The context's own `header`, for this class's headers; the context's is wrapped to see the app's. */
  readonly #header: Context['header']
  /** The app set `Cache-Control` itself: leave it as it is. */
  #appCaching = false

  constructor(
    readonly c: Context,
    readonly opened: OpenedSession<Data>,
    readonly logger: Logger,
  ) {
    this.#builds = new Builds(c, () => this.#prepare())
    const header = c.header
    this.#header = header
    c.header = (name, value, options) => {
      if (!this.#appCaching && name.toLowerCase() === 'cache-control') this.#appCaching = true
      header(name, value, options)
    }
  }

  /** Puts the session's headers in Hono's prepared headers, once, before the first response is built. */
  #prepare(): void {
    if (this.#tried || this.c.error) return
    this.#tried = true
    let result: CommitResult
    try {
      result = this.opened.preview()
    } catch {
      // CookieTooLarge: `finish` commits again and answers the failure as a late commit would.
      return
    }
    this.#sent = result
    if (result.vary) this.#header('Vary', 'Cookie', { append: true })
    if (result.setCookie !== undefined) {
      this.#header('Set-Cookie', result.setCookie, { append: true })
      const extra = result.extraSetCookies
      if (extra !== undefined)
        for (const cookie of extra) this.#header('Set-Cookie', cookie, { append: true })
      if (!this.#appCaching) this.#header('Cache-Control', NO_STORE)
    }
  }

  /** After the handler: commits, then confirms the early headers or corrects the response. */
  finish(): Promise<void> | undefined {
    const { c } = this
    // A store that failed while the handler loaded the session: the same answer as a failed commit.
    const failure = c.error === undefined ? undefined : failureFor(c.error, this.logger)
    if (failure !== undefined) {
      this.#answer(failure)
      return undefined
    }
    // A handler's error answered 4xx (Hono's HTTPException) commits like any 4xx; a 5xx only varies.
    const outcome = commitFor(this.opened, c.res.status, this.logger)
    if (outcome instanceof Promise) return outcome.then((settled) => this.#settle(settled))
    this.#settle(outcome)
    return undefined
  }

  #settle(outcome: CommitResult | CommitFailure | undefined): void {
    if (outcome instanceof CommitFailure) {
      this.#answer(outcome)
      return
    }
    const result = outcome ?? NOTHING
    const { c } = this
    if (result === this.#sent && c.res === this.#builds.last) {
      // The early headers hold. The handler may have named Cookie in Vary itself; say it once.
      if (result.vary && hasDuplicateCookie(c.res.headers.get('vary'))) {
        this.#header('Vary', varyWithCookie(withoutOneCookie(c.res.headers.get('vary'))))
      }
      return
    }
    this.#correct(result)
  }

  /** Slow path: the response was not built after the early headers, or the commit gave other ones. */
  #correct(result: CommitResult): void {
    const { c } = this
    const early = setCookiesOf(this.#sent)
    const cookies = setCookiesOf(result)
    if (!sameValues(early, cookies)) replaceSetCookies(c, early, cookies)
    else {
      // The handler made its own response: the early cookies are not on it.
      const present = c.res.headers.getSetCookie()
      for (const cookie of cookies) {
        if (!present.includes(cookie)) this.#header('Set-Cookie', cookie, { append: true })
      }
    }
    const caching = c.res.headers.get('cache-control')
    if (cookies.length > 0 && !caching) this.#header('Cache-Control', NO_STORE)
    // The early cookie was taken back: so is the Cache-Control that came with it.
    if (cookies.length === 0 && early.length > 0 && caching === NO_STORE && !this.#appCaching) {
      this.#header('Cache-Control', undefined)
    }
    const vary = c.res.headers.get('vary')
    if (result.vary) this.#header('Vary', varyWithCookie(vary ?? undefined))
    else if (this.#sent?.vary && c.res === this.#builds.last && vary !== null) {
      // Only a response built after the early headers is known to hold the Cookie we added to Vary.
      const rest = withoutOneCookie(vary)
      this.#header('Vary', rest === '' ? undefined : rest)
    }
  }

  /** Answers a failure (store down, cookie too large) in place of the handler's response. */
  #answer(failure: CommitFailure): void {
    const { c } = this
    c.res = failure.toResponse()
    // Hono carries the replaced response's cookies over to the new one: not the early session cookie.
    const early = setCookiesOf(this.#sent)
    if (early.length > 0) replaceSetCookies(c, early, [])
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}

/** Replaces the session's Set-Cookie values on the response with `next`, and keeps every other one. */
function replaceSetCookies(c: Context, previous: readonly string[], next: readonly string[]): void {
  const cookies = c.res.headers.getSetCookie()
  for (const cookie of previous) {
    const at = cookies.indexOf(cookie)
    if (at >= 0) cookies.splice(at, 1)
  }
  cookies.push(...next)
  // c.header() copies a built response before changing it, so a Response object shared between
  // requests is never altered.
  c.header('Set-Cookie', undefined)
  for (const cookie of cookies) c.header('Set-Cookie', cookie, { append: true })
}

function varyNames(vary: string | null): string[] {
  return vary === null ? [] : vary.split(',').map((name) => name.trim())
}

function hasDuplicateCookie(vary: string | null): boolean {
  // Fast path: the Vary this adapter sets on its own.
  if (vary === 'Cookie' || vary === null) return false
  return varyNames(vary).filter((name) => name.toLowerCase() === 'cookie').length > 1
}

/** The Vary value with its last `Cookie` removed. */
function withoutOneCookie(vary: string | null): string {
  const names = varyNames(vary)
  const at = names.map((name) => name.toLowerCase()).lastIndexOf('cookie')
  if (at >= 0) names.splice(at, 1)
  return names.filter(Boolean).join(', ')
}

/**
 * The session of a request, for "dependency" functions that take the context.
 * @throws {Error} when the middleware is not installed, as Starlette's `request.session` does.
 */
export function getSession<Data extends SessionData = SessionData>(c: Context): Session<Data> {
  const session = c.get('session') as Session<Data> | undefined
  if (session === undefined)
    throw new SessionMiddlewareMissing('add app.use(sessions(...)) before this route')
  return session
}

/**
 * Middleware that answers 401 JSON unless the session holds `key`.
 * @example app.get('/me', requireKey('user'), (c) => c.json(c.var.session.get('user')))
 */
export function requireKey<Data extends SessionData = SessionData>(
  key: keyof Data & string,
): MiddlewareHandler<SessionEnv<Data>> {
  return async function requireSessionKey(c, next) {
    const session = getSession<SessionData>(c)
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return next()
    const answer = unauthorized(key)
    return c.json(answer.body, answer.status)
  }
}

/**
 * The peer's address where Hono runs on @hono/node-server (`c.env.incoming`); `undefined` elsewhere.
 * The scheme comes from the request URL, which every runtime builds from the connection.
 */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress
}

/** The engine's request context for a Hono request (see `nodeContext`). */
function honoContext(options: ResolvedOptions, c: Context): RequestContext | undefined {
  if (options.httpsOnly !== 'auto') return undefined
  return fetchContext(options, c.req.raw, peerAddress(c))
}

/**
 * Middleware that refuses (403 JSON) an unsafe request (POST, PUT, PATCH, DELETE...) unless it comes
 * from this origin and carries the session's CSRF token (`csrfToken(c.var.session)` from
 * 'tessera-session'): in the `x-csrf-token` header, or the `_csrf` field of a form body, read with
 * `c.req.parseBody()` (Hono keeps the parsed body, so the handler can parse it again). After
 * `sessions()`. See src/csrf.ts for the rules.
 * @example
 * app.use(sessions({ secretKey }))
 * app.use(csrfProtection())
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler<SessionEnv> {
  const resolved = resolveCsrfOptions(options)
  return async function tesseraCsrf(c, next) {
    if (isSafeMethod(c.req.method)) return next()
    const session = getSession(c)
    if (!session.isLoaded) await session.load()
    const form =
      c.req.header(CSRF_HEADER) === undefined && isFormContentType(c.req.header('content-type'))
        ? await c.req.parseBody().catch(() => undefined)
        : undefined
    const refusal = checkCsrf(fetchCsrfRequest(c.req.raw, resolved, form, peerAddress(c)), session, resolved)
    if (refusal === undefined) return next()
    return c.json(refusal.body, refusal.status)
  }
}
