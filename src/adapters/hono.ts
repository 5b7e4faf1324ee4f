import type { Context, MiddlewareHandler } from 'hono'
import { type CommitResult, type Engine, SessionEngine, toEngine } from '../engine.ts'
import { StoreUnavailable } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import { Session, type SessionData, type SessionMark } from '../session.ts'
import {
  type CommitFailure,
  commitFailure,
  JSON_CONTENT_TYPE,
  shouldCommit,
  varyWithCookie,
} from './commit.ts'

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
 * @example
 * const app = new Hono<SessionEnv<{ user: string }>>()
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.get('/', (c) => c.text(c.var.session.get('user') ?? 'anonymous'))
 */
export function sessions<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  const engine = toEngine(options)
  if (engine instanceof SessionEngine) return cookieSessions(engine)
  return async function tesseraSession(c, next) {
    const session = engine.open(c.req.header('cookie'))
    c.set('session', session)
    const built = new Builds(c)
    await next()
    // A store that fails while the handler loads the session gets the same answer as a failed commit.
    if (c.error instanceof StoreUnavailable) {
      c.res = failureResponse(commitFailure(c.error) as CommitFailure)
      return
    }
    if (c.error || !shouldCommit(c.res.status)) return
    let result: CommitResult
    try {
      const committed = engine.commit(session)
      result = committed instanceof Promise ? await committed : committed
    } catch (error) {
      answerFailure(c, error)
      return
    }
    // Nothing to add (a session never loaded): leave the response alone. Even reading the headers of
    // @hono/node-server's lightweight response turns it into a real one, its slow path.
    if (!result.vary && result.setCookie === undefined) return
    // A response this request's own builder made is a fresh object: its headers can take the session's
    // in place, which keeps @hono/node-server's fast path (see cookieSessions). Any other response
    // (the handler's own, maybe shared between requests) goes through c.header(), which copies it.
    if (c.res === built.last) addHeadersInPlace(c.res.headers, result)
    else addHeadersAfter(c, result)
  }
}

/**
 * The middleware for cookie sessions, whose headers can be known before the handler returns.
 *
 * Why: with @hono/node-server, a header set after `await next()` makes Hono rebuild the response
 * around its body stream, which costs more than the whole session (measured: a bare app fell from
 * about 75k to 16k requests/s). Headers set before the response is built travel in Hono's prepared
 * headers instead. So the response builders of the context (`c.text`, `c.json`, `c.body`, `c.html`,
 * `c.newResponse`, and what uses them: `c.redirect`, renderers, streaming helpers) first put the
 * session's headers on it, as they are at that moment. When the handler returns the response so
 * built and the session has not changed since, nothing is left to do; otherwise (the session changed
 * after the response was built, the handler made its own `Response`, or it failed) the response is
 * corrected after `next()` the slow, safe way, with the same outcome as committing after `next()`.
 */
function cookieSessions<Data extends SessionData>(
  engine: SessionEngine<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  return async function tesseraSession(c, next) {
    const session = engine.open(c.req.header('cookie'))
    c.set('session', session)
    const early = new EarlyCommit(c, engine, session)
    await next()
    early.finish()
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
  /** What was put in the prepared headers, and the session as it was then. */
  #sent: { result: CommitResult; mark: SessionMark } | undefined
  /** The builds of this request: the last one carries the prepared headers, and is safe to correct. */
  readonly #builds: Builds
  #tried = false

  constructor(
    readonly c: Context,
    readonly engine: SessionEngine<Data>,
    readonly session: Session<Data>,
  ) {
    this.#builds = new Builds(c, () => this.#prepare())
  }

  /** Puts the session's headers in Hono's prepared headers, once, before the first response is built. */
  #prepare(): void {
    if (this.#tried || this.c.error) return
    this.#tried = true
    let result: CommitResult
    try {
      result = this.engine.preview(this.session)
    } catch {
      // CookieTooLarge: `finish` commits again and answers the failure as a late commit would.
      return
    }
    this.#sent = { result, mark: Session.mark(this.session as Session<SessionData>) }
    if (result.vary) this.c.header('Vary', 'Cookie', { append: true })
    if (result.setCookie !== undefined) this.c.header('Set-Cookie', result.setCookie, { append: true })
  }

  /** After the handler: confirms the early headers, or corrects the response. */
  finish(): void {
    const { c, session } = this
    const sent = this.#sent
    if (c.error || !shouldCommit(c.res.status)) {
      // A failed request keeps the client's cookie as it was: take back what was sent early.
      if (sent !== undefined) this.#takeBack(sent.result)
      return
    }
    if (
      sent !== undefined &&
      c.res === this.#builds.last &&
      !Session.changedSince(session as Session<SessionData>, sent.mark)
    ) {
      this.engine.confirm(session)
      // The handler may have named Cookie in Vary itself; say it once.
      if (sent.result.vary && hasDuplicateCookie(c.res.headers.get('vary'))) {
        c.header('Vary', varyWithCookie(withoutOneCookie(c.res.headers.get('vary'))))
      }
      return
    }
    this.#commitLate(sent)
  }

  /** Slow path: the response was not built after the early headers, or the session changed since. */
  #commitLate(sent: { result: CommitResult } | undefined): void {
    const { c } = this
    let result: CommitResult
    try {
      result = this.engine.commit(this.session)
    } catch (error) {
      answerFailure(c, error)
      // Hono carries the replaced response's cookies over to the new one: not the early session cookie.
      const early = sent?.result.setCookie
      if (early !== undefined) replaceSetCookie(c, early, undefined)
      return
    }
    const early = sent?.result.setCookie
    if (early !== result.setCookie) replaceSetCookie(c, early, result.setCookie)
    else if (early !== undefined && !c.res.headers.getSetCookie().includes(early)) {
      c.header('Set-Cookie', early, { append: true })
    }
    if (result.vary) c.header('Vary', varyWithCookie(c.res.headers.get('vary') ?? undefined))
  }

  /** Removes the early headers from a response that must not change the session. */
  #takeBack({ setCookie, vary }: CommitResult): void {
    const { c } = this
    if (setCookie !== undefined && c.res.headers.getSetCookie().includes(setCookie)) {
      replaceSetCookie(c, setCookie, undefined)
    }
    // Only a response built after the early headers is known to hold the Cookie we added to Vary.
    if (vary && c.res === this.#builds.last) {
      const rest = withoutOneCookie(c.res.headers.get('vary'))
      c.header('Vary', rest === '' ? undefined : rest)
    }
  }
}

/** Answers a commit failure (store down, cookie too large) in place of the handler's response. */
function answerFailure(c: Context, error: unknown): void {
  const failure = commitFailure(error)
  if (failure === undefined) throw error
  c.res = failureResponse(failure)
}

function failureResponse(failure: CommitFailure): Response {
  return new Response(failure.body, {
    status: failure.status,
    headers: { 'content-type': JSON_CONTENT_TYPE },
  })
}

/** Adds a commit's headers to a response that has been built already. */
function addHeadersAfter(c: Context, { setCookie, vary }: CommitResult): void {
  if (vary) c.header('Vary', varyWithCookie(c.res.headers.get('vary') ?? undefined))
  if (setCookie !== undefined) c.header('Set-Cookie', setCookie, { append: true })
}

/** Adds a commit's headers to the headers of a response built in this request. */
function addHeadersInPlace(headers: Headers, { setCookie, vary }: CommitResult): void {
  if (vary) headers.set('Vary', varyWithCookie(headers.get('vary') ?? undefined))
  if (setCookie !== undefined) headers.append('Set-Cookie', setCookie)
}

/** Replaces one Set-Cookie value of the response (`undefined`: none) and keeps every other one. */
function replaceSetCookie(c: Context, previous: string | undefined, next: string | undefined): void {
  const cookies = c.res.headers.getSetCookie()
  const at = previous === undefined ? -1 : cookies.indexOf(previous)
  if (at >= 0) cookies.splice(at, 1)
  if (next !== undefined) cookies.push(next)
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
    throw new Error('tessera: no session on this request; add app.use(sessions(...)) before this route')
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
