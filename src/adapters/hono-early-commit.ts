/**
 * The Hono adapter's early commit (see `sessions` in hono.ts for why headers go on early): one
 * request's session headers, put in Hono's prepared headers when the handler builds its response,
 * confirmed or corrected after the handler. Nothing is hooked until the session is first used.
 */
import type { Context } from 'hono'
import type { OpenedSession } from '../engine.ts'
import type { Logger } from '../logger.ts'
import type { SessionData } from '../session.ts'
import { type CommitResult, NOTHING } from '../session-state.ts'
import { CommitFailure, commitThen, failureFor, NO_STORE, setCookiesOf, varyWithCookie } from './commit.ts'

type Builder = (data: unknown, arg?: unknown, headers?: unknown) => Response
type Builders = Record<(typeof BUILDERS)[number], Builder>

/** The context methods that build the response; each takes at most three arguments. */
const BUILDERS = ['body', 'text', 'json', 'html', 'newResponse'] as const

/** One request's session headers, sent early when possible. */
export class EarlyCommit<Data extends SessionData> {
  /** What was put in the prepared headers. */
  #sent: CommitResult | undefined
  /** The last response a wrapped builder made in this request (a fresh object, safe to change in place). */
  #last: Response | undefined
  #hooked = false
  /** `Vary: Cookie` is in the prepared headers (put there at the first use, or by the first build). */
  #varied = false
  #tried = false
  /** A cookieless Vary is left to settle, in place on the built response (see #prepare). */
  #varyAfter = false
  /** `finish` ran before the session was first used. */
  #finished = false

  constructor(
    readonly c: Context,
    readonly opened: OpenedSession<Data>,
    readonly logger: Logger,
  ) {}

  /**
   * Wraps the context's response builders so that the first build carries the session's headers.
   * Called on the session's first use (or at once for a session already loaded): a request that never
   * uses its session keeps Hono's own builders and allocates nothing here. A first use after `finish`
   * (a streamed body) is too late for a cookie: the commit then sends nothing and makes a later
   * write report itself instead of vanishing.
   */
  hook(loading = false): void {
    if (this.#hooked) return
    this.#hooked = true
    if (this.#finished) {
      const committed = this.opened.commit()
      if (committed instanceof Promise) {
        committed.catch((error: unknown) =>
          this.logger.error(`committing the session failed: ${String(error)}`),
        )
      }
      return
    }
    // A used session makes the response vary on the cookie. Said now, it reaches a response built by a
    // builder the handler took before this first use too (`c.json({ user: session.get('user') })`
    // reads `c.json` before its argument): that response then needs no rebuild (see #correct).
    // A first use by `await load()` comes before the handler takes a builder: #prepare decides then.
    if (!loading) {
      this.c.header('Vary', 'Cookie', { append: true })
      this.#varied = true
    }
    const builders = this.c as unknown as Builders
    for (const name of BUILDERS) {
      // Hono's builders are arrow functions bound to their context: no `this` to carry over.
      const build = builders[name]
      builders[name] = (data, arg, headers) => {
        this.#prepare()
        const response = build(data, arg, headers)
        this.#last = response
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
      result = this.opened.preview()
    } catch {
      // CookieTooLarge: `finish` commits again and answers the failure as a late commit would.
      return
    }
    this.#sent = result
    const { c } = this
    if (result.vary && !this.#varied && result.setCookie === undefined) {
      // Vary alone goes on the built response in place (settle): no prepared headers for Hono to
      // copy into it. Store read 98,421 -> 94,703, write 146,433 -> 143,175 instructions per request (callgrind).
      this.#varyAfter = true
    } else if (result.vary && !this.#varied) {
      c.header('Vary', 'Cookie', { append: true })
      this.#varied = true
    }
    if (result.setCookie !== undefined) {
      c.header('Set-Cookie', result.setCookie, { append: true })
      const extra = result.extraSetCookies
      if (extra !== undefined) for (const cookie of extra) c.header('Set-Cookie', cookie, { append: true })
      // Cache-Control is added after the handler (see settle): only then is the app's own known.
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
    if (!this.#hooked) {
      // Never used: a commit would send nothing (the same as the slow path's NOTHING).
      this.#finished = true
      return undefined
    }
    // A handler's error answered 4xx (Hono's HTTPException) commits like any 4xx; a 5xx only varies.
    return commitThen(this.opened, c.res.status, this.logger, this)
  }

  /** Confirms or corrects the early headers with the commit's outcome (called by `commitThen`). */
  settle(outcome: CommitResult | CommitFailure | undefined): void {
    if (outcome instanceof CommitFailure) {
      this.#answer(outcome)
      return
    }
    const result = outcome ?? NOTHING
    const { c } = this
    if (
      result === this.#sent &&
      c.res === this.#last &&
      (result.vary === this.#varied || (this.#varyAfter && result.vary))
    ) {
      // The early headers hold. The response is this request's own: its headers change in place,
      // where c.header() would rebuild it around its body.
      const headers = c.res.headers
      // Issue 12's header: a get and a set, 4,453 instructions of a Hono write (callgrind A/B). Hono
      // cannot show its prepared headers, so only the built response tells whether the app set its own.
      if (result.setCookie !== undefined && !headers.get('cache-control'))
        headers.set('cache-control', NO_STORE)
      // Cookie in Vary once: the handler may have named it too, or replaced the Vary put at first use.
      const vary = headers.get('vary')
      if (result.vary && vary !== 'Cookie') {
        const varied = hasDuplicateCookie(vary) ? withoutOneCookie(vary) : varyWithCookie(vary ?? undefined)
        if (varied !== vary) headers.set('vary', varied)
      }
      return
    }
    this.#correct(result)
  }

  /** Slow path: the response was not built after the early headers, or the commit gave other ones. */
  #correct(result: CommitResult): void {
    const { c } = this
    // No cookie sent early and none to send (a read whose builder was taken before the first use,
    // `c.json({ user: session.get('user') })`): only Vary can need a correction. Skipping the cookie
    // lists and getSetCookie() here: read hot path 97,868 -> 95,846 instructions per request (callgrind).
    if (result.setCookie !== undefined || this.#sent?.setCookie !== undefined) this.#correctCookies(result)
    const vary = c.res.headers.get('vary')
    if (result.vary) {
      // Already there (put at the first use, before the build): a c.header() would rebuild the response.
      // `Cookie` alone (what the first use put) needs nothing: the same as the general case gives.
      if (vary === 'Cookie') return
      const varied = hasDuplicateCookie(vary) ? withoutOneCookie(vary) : varyWithCookie(vary ?? undefined)
      if (varied !== vary) c.header('Vary', varied)
    } else if (this.#varied && c.res === this.#last && vary !== null) {
      // Only a response built after the early headers is known to hold the Cookie we added to Vary.
      const rest = withoutOneCookie(vary)
      c.header('Vary', rest === '' ? undefined : rest)
    }
  }

  /** The Set-Cookie part of {@link #correct}: the commit's cookies replace the early ones, with Cache-Control. */
  #correctCookies(result: CommitResult): void {
    const { c } = this
    const early = setCookiesOf(this.#sent)
    const cookies = setCookiesOf(result)
    if (!sameValues(early, cookies)) replaceSetCookies(c, early, cookies)
    else {
      // The handler made its own response: the early cookies are not on it.
      const present = c.res.headers.getSetCookie()
      for (const cookie of cookies) {
        if (!present.includes(cookie)) c.header('Set-Cookie', cookie, { append: true })
      }
    }
    if (cookies.length > 0 && !c.res.headers.get('cache-control')) c.header('Cache-Control', NO_STORE)
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
