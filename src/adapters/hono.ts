import type { Context, MiddlewareHandler } from 'hono'
import { type CommitResult, type Engine, SessionEngine, toEngine } from '../engine.ts'
import type { SessionOptions } from '../options.ts'
import { Session, type SessionData, type SessionMark } from '../session.ts'

/** Hono environment the middleware adds: `c.get('session')` / `c.var.session`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> }
}

/**
 * Hono middleware: `c.var.session` is the request's session, committed after the handler.
 * A handler that throws leaves the cookie as it was (no half-written session).
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
    await next()
    if (c.error) return
    const result = engine.commit(session)
    addHeaders(c, result instanceof Promise ? await result : result)
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
 * corrected the slow, safe way after `next()`.
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

/** One request's session headers, sent early when possible. */
class EarlyCommit<Data extends SessionData> {
  /** What was put on the response early, and the session as it was then. */
  #sent: { result: CommitResult; mark: SessionMark } | undefined
  /** The last response a builder made (a fresh object, safe to correct in place). */
  #built: Response | undefined
  #tried = false

  constructor(
    readonly c: Context,
    readonly engine: SessionEngine<Data>,
    readonly session: Session<Data>,
  ) {
    const builders = c as unknown as Builders
    for (const name of BUILDERS) {
      // Hono's builders are arrow functions bound to their context: no `this` to carry over.
      const build = builders[name]
      builders[name] = (data, arg, headers) => {
        this.#prepare()
        const response = build(data, arg, headers)
        this.#built = response
        return response
      }
    }
  }

  /** Puts the session's headers in Hono's prepared headers, once, before the first response is built. */
  #prepare(): void {
    if (this.#tried || this.c.error) return
    this.#tried = true
    let result: CommitResult
    try {
      result = this.engine.preview(this.session)
    } catch {
      // CookieTooLarge: `finish` commits again and lets the error take its usual course.
      return
    }
    this.#sent = { result, mark: Session.mark(this.session as Session<SessionData>) }
    addHeaders(this.c, result)
  }

  /** After the handler: confirms the early headers, or corrects the response. */
  finish(): void {
    const { c, session } = this
    const sent = this.#sent
    if (c.error) {
      // A failed request keeps the client's cookie as it was: take back what was sent early.
      const early = sent?.result.setCookie
      if (early !== undefined && c.res.headers.getSetCookie().includes(early))
        replaceSetCookie(c, early, undefined)
      return
    }
    if (
      sent !== undefined &&
      c.res === this.#built &&
      !Session.changedSince(session as Session<SessionData>, sent.mark)
    ) {
      this.engine.confirm(session)
      return
    }
    // Slow path: the response was not built after the early headers, or the session changed since.
    const result = this.engine.commit(session)
    if (sent === undefined) return addHeaders(c, result)
    if (sent.result.setCookie !== result.setCookie) {
      replaceSetCookie(c, sent.result.setCookie, result.setCookie)
    } else if (result.setCookie !== undefined && !c.res.headers.getSetCookie().includes(result.setCookie)) {
      c.header('Set-Cookie', result.setCookie, { append: true })
    }
    if (result.vary && !variesOnCookie(c.res.headers.get('vary')))
      c.header('Vary', 'Cookie', { append: true })
  }
}

/** Adds a commit's headers through Hono, which keeps them whether or not the response exists yet. */
function addHeaders(c: Context, { setCookie, vary }: CommitResult): void {
  if (vary) c.header('Vary', 'Cookie', { append: true })
  if (setCookie !== undefined) c.header('Set-Cookie', setCookie, { append: true })
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

/** Whether a Vary header value already names Cookie (or `*`). */
function variesOnCookie(vary: string | null): boolean {
  if (vary === null) return false
  return vary.split(',').some((token) => {
    const name = token.trim().toLowerCase()
    return name === 'cookie' || name === '*'
  })
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
