/**
 * h3 adapter (h3 1.x, the server of Nuxt 3 and Nitro), on Node: `event.context.session`, typed
 * through {@link Register}. The cookie is committed on the Node response (`event.node.res`), as the
 * Express and Koa adapters do, so whatever sends the response (a returned value, `send`,
 * `sendRedirect`, h3's error answer) carries it.
 */
import {
  type App,
  type EventHandler,
  eventHandler,
  type H3Error,
  type H3Event,
  send,
  setResponseStatus,
} from 'h3'
import { toEngine } from '../cookie-engine.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import { consoleLogger, type Logger } from '../logger.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import { type CommitFailure, failureFor, JSON_CONTENT_TYPE, loadFailure } from './commit.ts'
import { commitBeforeHeaders } from './node-response.ts'
import { nodeContext } from './request-context.ts'

declare module 'h3' {
  interface H3EventContext {
    /** The request's session, added by tessera's `sessions()` handler. */
    session: Session<RegisteredSessionData>
  }
}

/** Options of the h3 adapter: tessera's session options, or an engine (a store engine, for instance). */
export type H3SessionOptions = SessionOptions | Engine<RegisteredSessionData>

/**
 * The function that opens a request's session: `event.context.session`, committed just before the
 * response headers go out. A 5xx response (a handler that threw) leaves the cookie as it was.
 */
function opener(engine: Engine<RegisteredSessionData>): (event: H3Event) => void {
  const logger = engine.options.logger
  return function openSession(event) {
    const opened = engine.open(event.node.req.headers.cookie, nodeContext(engine.options, event.node.req))
    event.context.session = opened.session
    commitBeforeHeaders(opened, event.node.res, logger)
  }
}

/**
 * h3 middleware: `app.use(sessions(options))` before the routes. With a store engine,
 * `await event.context.session.load()` before using it, and pass {@link sessionErrors} as the app's
 * `onError`: a store that fails during `load()` throws in the handler, out of this middleware's reach
 * (a failed commit answers 503 by itself).
 *
 * @example
 * const app = createApp({ onError: sessionErrors() })
 * app.use(sessions({ secretKey: process.env.SECRET_KEY! }))
 * app.use('/me', eventHandler((event) => ({ user: event.context.session.get('user') ?? null })))
 */
export function sessions(options: H3SessionOptions): EventHandler<never, undefined> {
  const open = opener(toEngine(options))
  return eventHandler((event) => {
    open(event)
    return undefined
  })
}

/**
 * An app `onError` that answers 503 JSON (no `Set-Cookie`) when a handler failed because the session
 * store is down or slow (`StoreUnavailable` from `await session.load()`), as a failed commit does.
 * Any other error goes to `next` when given, else to h3's own error answer.
 *
 * @example const app = createApp({ onError: sessionErrors() })
 */
export function sessionErrors(
  options: { logger?: Logger; next?: (error: H3Error, event: H3Event) => void | Promise<void> } = {},
): (error: H3Error, event: H3Event) => Promise<void> {
  const logger = options.logger ?? consoleLogger
  return async function tesseraSessionErrors(error, event) {
    const failure = event.handled ? undefined : failureFor(await sessionError(error, event), logger)
    if (failure !== undefined) return answer(event, failure)
    if (options.next !== undefined) await options.next(error, event)
  }
}

/**
 * The session's own error behind what h3 caught. h3 wraps a thrown error in an H3Error whose cause is
 * the error's own cause when it has one (a `StoreUnavailable` keeps the driver's error there), so the
 * session is asked instead (see `loadFailure`).
 */
async function sessionError(error: H3Error, event: H3Event): Promise<unknown> {
  const session = event.context.session as Session<SessionData> | undefined
  // A 4xx (h3's own 404 among them) is the app's answer, whatever the store does.
  if (session === undefined || error.statusCode < 500) return error.cause ?? error
  const failed = await loadFailure(session)
  return failed ?? error.cause ?? error
}

function answer(event: H3Event, failure: CommitFailure): Promise<void> {
  setResponseStatus(event, failure.status)
  return send(event, failure.body, JSON_CONTENT_TYPE)
}

/** The part of a Nitro app (Nuxt's server) the plugin uses, so tessera need not depend on Nitro. */
export interface NitroAppLike {
  hooks: { hook(name: 'request', handler: (event: H3Event) => void | Promise<void>): unknown }
  h3App: App
}

/**
 * A Nitro plugin (Nuxt's `server/plugins/`): opens every request's session from Nitro's `request`
 * hook and answers a store outage with 503, keeping the app's own error handler for everything else.
 *
 * @example
 * // server/plugins/session.ts
 * export default defineNitroPlugin(sessionsPlugin({ secretKey: process.env.SECRET_KEY! }))
 */
export function sessionsPlugin(options: H3SessionOptions): (nitroApp: NitroAppLike) => void {
  const engine = toEngine(options)
  const open = opener(engine)
  const logger = engine.options.logger
  return function tesseraNitroPlugin(nitroApp) {
    nitroApp.hooks.hook('request', open)
    const appOptions = nitroApp.h3App.options
    const previous = appOptions.onError
    appOptions.onError = sessionErrors(previous === undefined ? { logger } : { logger, next: previous })
  }
}

/**
 * The session of a request, for "dependency" functions that take the event.
 * @throws {SessionMiddlewareMissing} when the middleware is not installed.
 */
export function getSession<Data extends SessionData = RegisteredSessionData>(event: H3Event): Session<Data> {
  const session = event.context.session as Session<Data> | undefined
  if (session === undefined)
    throw new SessionMiddlewareMissing('add app.use(sessions(...)) before this route')
  return session
}

/**
 * An `onRequest` hook that answers 401 JSON unless the session holds `key`.
 * @example
 * app.use('/me', defineEventHandler({ onRequest: [requireKey('user')], handler: (event) => ... }))
 */
export function requireKey(key: keyof RegisteredSessionData & string): (event: H3Event) => Promise<void> {
  return async function requireSessionKey(event) {
    const session = getSession<SessionData>(event)
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return
    const denied = unauthorized(key)
    setResponseStatus(event, denied.status)
    await send(event, JSON.stringify(denied.body), JSON_CONTENT_TYPE)
  }
}
