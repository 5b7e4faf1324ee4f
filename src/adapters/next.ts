/**
 * Sessions for the Next.js App Router: read in Server Components, changed in Server Actions and Route
 * Handlers, and used in `middleware.ts` on the edge runtime. `next/headers` is imported only when a
 * Server Component or Server Action asks for the session, so this module also loads (and the
 * middleware bundle stays free of it) outside a Next.js request.
 *
 * Next.js writes `cookies().set(name, value)` as `name=encodeURIComponent(value)`, with no option to
 * write it raw, and Starlette's value has `+`, `/` and `=` in it. So:
 * - Route Handlers and middleware append the raw `Set-Cookie` to their `Response` (as the fetch
 *   adapter does): byte for byte what Starlette writes.
 * - Server Actions can only write through `cookies().set`: the value reaches the browser
 *   percent-encoded. Next.js (`cookies()`, `request.cookies`) decodes it on the way back in, and every
 *   reader here reads through those, so Next.js and tessera read it; a FastAPI app does not until
 *   a Route Handler or middleware re-issues it (see {@link NextSessions.middleware}).
 */
import type { ResponseCookie } from 'next/dist/compiled/@edge-runtime/cookies'
import type { NextRequest } from 'next/server.js'
import { toEngine } from '../cookie-engine.ts'
import type { Engine, OpenedSession } from '../engine.ts'
import { ConfigError, TesseraError } from '../errors.ts'
import type { ResolvedOptions, SessionOptions } from '../options.ts'
import { isSecureRequest, type RequestContext } from '../proxy.ts'
import type { Session, SessionData } from '../session.ts'
import { failureFor } from './commit.ts'
import { respondWithSession } from './fetch.ts'

/** What a Server Component may do with a session: read it. */
export type ReadonlySession<Data extends SessionData = SessionData> = Pick<
  Session<Data>,
  'get' | 'has' | 'data' | 'isNew' | 'isEmpty' | 'issuedAt' | 'persistent' | 'toJSON' | 'isLoaded'
>

/** A Route Handler or middleware that also receives the request's session. */
export type NextSessionHandler<Data extends SessionData, Rest extends unknown[]> = (
  request: NextRequest,
  session: Session<Data>,
  ...rest: Rest
) => Response | Promise<Response>

/** The session in each place of an App Router app; see {@link nextSessions}. */
export interface NextSessions<Data extends SessionData> {
  /**
   * The request's session in a Server Component, loaded and read-only: a Server Component renders
   * while the response may already be streaming, so it cannot set a cookie. A change throws a
   * {@link ReadOnlySession} error that says where changes belong.
   */
  read(): Promise<ReadonlySession<Data>>
  /**
   * Runs `change` on the request's session in a Server Action (or a Route Handler), then writes the
   * cookie through `cookies().set` (percent-encoded by Next.js, see the module's notes). Returns what
   * `change` returns. Nothing is written when `change` throws; a session too large for a cookie
   * throws `CookieTooLarge` and the browser keeps its previous cookie.
   */
  change<T>(change: (session: Session<Data>) => T | Promise<T>): Promise<T>
  /**
   * Wraps a Route Handler: it gets the session as its second argument and its `Response` carries
   * the raw `Set-Cookie`, exactly as Starlette writes it.
   */
  route<Rest extends unknown[] = []>(
    handler: NextSessionHandler<Data, Rest>,
  ): (request: NextRequest, ...rest: Rest) => Promise<Response>
  /**
   * Wraps `middleware.ts` (edge runtime, portable core): the same as {@link NextSessions.route}.
   * Answer with `NextResponse.next()`, a redirect or a response; a changed session is written raw.
   */
  middleware(handler: NextSessionHandler<Data, []>): (request: NextRequest) => Promise<Response>
}

/** A Server Component tried to change its session. */
export class ReadOnlySession extends TesseraError {
  override name = 'ReadOnlySession'
}

const CHANGES = new Set(['set', 'delete', 'pop', 'clear', 'destroy', 'regenerate', 'setPersistent'])

/**
 * Sessions for a Next.js App Router app. Create it once (in `lib/session.ts`) and import it where
 * the session is used.
 * @example
 * export const session = nextSessions<{ user?: string }>({ secretKey: process.env.SECRET_KEY ?? '' })
 * // app/page.tsx:      const user = (await session.read()).get('user')
 * // app/actions.ts:    await session.change((s) => login(s, { user }))
 * // app/me/route.ts:   export const GET = session.route((request, s) => Response.json(s.get('user') ?? null))
 * // middleware.ts:     export default session.middleware((request, s) => ...)
 */
export function nextSessions<Data extends SessionData = SessionData>(
  options: SessionOptions | Engine<Data>,
): NextSessions<Data> {
  const engine = toEngine(options)
  checkSchemeOptions(engine.options)
  const name = engine.options.sessionCookie
  const logger = engine.options.logger

  /**
   * The session as Next.js parsed the request's cookies (values come back percent-decoded), with the
   * request's context read from `headers()`.
   */
  async function open(): Promise<OpenedSession<Data>> {
    const { cookies, headers } = await import('next/headers.js')
    const context = nextContext(engine.options, (await headers()).get('x-forwarded-proto'))
    return engine.open(cookieHeader(name, await cookies()), context)
  }

  // Route Handlers and middleware get a NextRequest, whose `cookies` decode values the same way.
  function route<Rest extends unknown[]>(handler: NextSessionHandler<Data, Rest>) {
    return (request: NextRequest, ...rest: Rest): Promise<Response> => {
      const opened = engine.open(
        cookieHeader(name, request.cookies),
        nextContext(engine.options, request.headers.get('x-forwarded-proto')),
      )
      return respondWithSession(opened, logger, (session) => handler(request, session, ...rest))
    }
  }

  return {
    async read() {
      const opened = await open()
      await opened.session.load()
      return readOnly(opened.session)
    },
    async change(change) {
      const opened = await open()
      const result = await change(opened.session)
      let written: string[]
      try {
        const { setCookie, extraSetCookies = [] } = await opened.commit()
        written = setCookie === undefined ? [] : [setCookie, ...extraSetCookies]
      } catch (error) {
        failureFor(error, logger) // logs a CookieTooLarge or StoreUnavailable once
        throw error
      }
      if (written.length > 0) {
        const { cookies } = await import('next/headers.js')
        const jar = await cookies()
        // A sealed session split over several cookies: every chunk, and the deletions of stale ones.
        for (const header of written) jar.set(toResponseCookie(header))
      }
      return result
    },
    route,
    middleware: route,
  }
}

/** The request cookies Next.js parsed: `request.cookies` and `cookies()` both have this. */
interface ParsedCookies {
  getAll(): { name: string; value: string }[]
}

/**
 * A `Cookie` header holding only the session's cookies, with the values Next.js decoded: the cookie
 * itself and, for a sealed session split over several cookies, its chunks (`name.0`, `name.1`...).
 */
function cookieHeader(name: string, cookies: ParsedCookies): string | undefined {
  const chunkPrefix = `${name}.`
  let header: string | undefined
  for (const cookie of cookies.getAll()) {
    if (cookie.name !== name && !cookie.name.startsWith(chunkPrefix)) continue
    const pair = `${cookie.name}=${cookie.value}`
    header = header === undefined ? pair : `${header}; ${pair}`
  }
  return header
}

/**
 * Next.js does not tell the app whether its connection was HTTPS: a Route Handler's URL, `headers()`
 * and `request.headers` all carry the scheme as `X-Forwarded-Proto`, which Next.js keeps when the
 * request has it (from a proxy, or from any client) and otherwise fills in with the connection's own
 * scheme. So `httpsOnly: 'auto'` reads that header, believed as far as `trustProxy` says, and the
 * connection never counts by itself: without `trustProxy` nothing would tell HTTPS apart, hence the
 * setup error.
 */
function checkSchemeOptions(options: ResolvedOptions): void {
  if (options.httpsOnly !== 'auto' || (options.trustProxy ?? false) !== false) return
  throw new ConfigError(
    "httpsOnly: 'auto' in Next.js needs trustProxy: Next.js hands the app the scheme only as " +
      "X-Forwarded-Proto (the connection's own when no proxy set one). Set trustProxy: 1 for one proxy " +
      '(or none: then the header is the one Next.js wrote), true on Vercel, or use httpsOnly: true.',
  )
}

/** The request context from the `X-Forwarded-Proto` Next.js passes on; see {@link checkSchemeOptions}. */
function nextContext(options: ResolvedOptions, forwardedProto: string | null): RequestContext | undefined {
  if (options.httpsOnly !== 'auto') return undefined
  const facts = { encrypted: false, remoteAddress: undefined, forwardedProto: forwardedProto ?? undefined }
  return { secure: isSecureRequest(facts, options.trustProxy ?? false) }
}

/** The session behind a proxy that refuses every change, naming where changes belong. */
function readOnly<Data extends SessionData>(session: Session<Data>): ReadonlySession<Data> {
  return new Proxy(session, {
    get(target, property) {
      if (typeof property === 'string' && CHANGES.has(property)) {
        return () => {
          throw new ReadOnlySession(
            `session.${property}() in a Server Component: a Server Component cannot set cookies. ` +
              'Change the session in a Server Action (session.change(...)) or a Route Handler (session.route(...)).',
          )
        }
      }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
    set(_target, property) {
      throw new ReadOnlySession(
        `session.${String(property)} = ... in a Server Component: change the session in a Server Action or Route Handler`,
      )
    },
  }) as ReadonlySession<Data>
}

/** tessera's own `Set-Cookie` value as the object `cookies().set` takes. */
export function toResponseCookie(setCookie: string): ResponseCookie {
  const [pair = '', ...attributes] = setCookie.split('; ')
  const equals = pair.indexOf('=')
  const cookie: ResponseCookie = { name: pair.slice(0, equals), value: pair.slice(equals + 1) }
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at === -1 ? attribute : attribute.slice(0, at)).toLowerCase()
    const value = at === -1 ? '' : attribute.slice(at + 1)
    if (key === 'path') cookie.path = value
    else if (key === 'max-age') cookie.maxAge = Number(value)
    else if (key === 'expires') cookie.expires = new Date(value)
    else if (key === 'domain') cookie.domain = value
    else if (key === 'httponly') cookie.httpOnly = true
    else if (key === 'secure') cookie.secure = true
    else if (key === 'partitioned') cookie.partitioned = true
    else if (key === 'samesite') cookie.sameSite = value as 'lax' | 'strict' | 'none'
  }
  return cookie
}
