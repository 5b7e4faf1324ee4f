/**
 * Fastify adapter (Fastify 5): a plugin registered with fastify-plugin, so `request.session` is
 * available in every route of the instance. Typed through {@link Register}.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { toEngine } from '../cookie-engine.ts'
import { type CsrfOptions, checkCsrf, isSafeMethod, resolveCsrfOptions } from '../csrf.ts'
import type { Engine, OpenedSession } from '../engine.ts'
import { SessionMiddlewareMissing, StoreUnavailable } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import {
  applyCommit,
  CommitFailure,
  commitFor,
  failureFor,
  type HeaderTarget,
  JSON_CONTENT_TYPE,
} from './commit.ts'
import { nodeCsrfRequest } from './csrf-request.ts'
import { nodeContext } from './request-context.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session, added by tessera's plugin. */
    session: Session<RegisteredSessionData>
  }
}

/** Options of the plugin: tessera's session options, or an engine (a store engine, for instance). */
export type FastifySessionOptions = SessionOptions | Engine<RegisteredSessionData>

const OPENED = Symbol('tessera.opened')
type WithOpened = FastifyRequest & { [OPENED]?: OpenedSession<RegisteredSessionData> }

/** Options Fastify itself gives every plugin (`register(plugin, { prefix })`): not tessera's to check. */
const FASTIFY_REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers']

/** The session options among what `register` passed: without Fastify's own register options. */
function sessionOptionsOf(options: FastifySessionOptions): FastifySessionOptions {
  if (typeof (options as Engine).open === 'function') return options
  const own = { ...options } as Record<string, unknown>
  for (const name of FASTIFY_REGISTER_OPTIONS) delete own[name]
  return own as unknown as SessionOptions
}

const plugin: FastifyPluginAsync<FastifySessionOptions> = async (fastify, options) => {
  const engine = toEngine(sessionOptionsOf(options))
  const logger = engine.options.logger
  fastify.decorateRequest('session', null as unknown as Session<RegisteredSessionData>)
  // A store that failed while the handler loaded the session, per request (see the onError hook).
  const storeDown = new WeakMap<FastifyRequest, StoreUnavailable>()
  fastify.addHook('onRequest', async (request) => {
    const opened = engine.open(request.headers.cookie, nodeContext(engine.options, request.raw))
    ;(request as WithOpened)[OPENED] = opened
    request.session = opened.session
  })
  // onError only observes: the error handler (Fastify's or the app's own, which this plugin leaves
  // alone) still answers, and onSend replaces that answer with the 503 of a failed commit.
  fastify.addHook('onError', async (request, _reply, error) => {
    if (error instanceof StoreUnavailable) storeDown.set(request, error)
  })
  // onSend runs once the payload is final and before the headers are written: the last moment.
  fastify.addHook('onSend', async (request, reply, payload) => {
    const down = storeDown.get(request)
    if (down !== undefined) return answer(reply, failureFor(down, logger) as CommitFailure)
    const opened = (request as WithOpened)[OPENED]
    if (opened === undefined) return payload
    const outcome = await commitFor(opened, reply.statusCode, logger)
    if (outcome instanceof CommitFailure) return answer(reply, outcome)
    if (outcome !== undefined) applyCommit(new ReplyHeaders(reply), outcome)
    return payload
  })
}

/** Replaces the reply's status and payload with a failure answer; no cookie is written. */
function answer(reply: FastifyReply, failure: CommitFailure): string {
  reply.code(failure.status).header('content-type', JSON_CONTENT_TYPE)
  return failure.body
}

/** A Fastify reply's headers as a {@link HeaderTarget}; Fastify appends repeated `set-cookie` headers. */
class ReplyHeaders implements HeaderTarget {
  constructor(readonly reply: FastifyReply) {}
  get(name: string): string | undefined {
    const value = this.reply.getHeader(name)
    return Array.isArray(value) ? value.join(', ') : value?.toString()
  }
  set(name: string, value: string): void {
    this.reply.header(name, value)
  }
  append(name: string, value: string): void {
    this.reply.header(name, value)
  }
}

/**
 * The tessera plugin: `app.register(sessions, { secretKey })`. A handler that throws (a 5xx) leaves
 * the cookie as it was. With a store engine, `await request.session.load()` before using it.
 * A store that is down or slow (`StoreUnavailable`, on load or commit) gives a 503 JSON answer; the
 * plugin sets no error handler, so `app.setErrorHandler` stays yours, and its answer to a
 * `StoreUnavailable` is replaced by the 503 (it still runs, for logging).
 *
 * @example
 * const app = Fastify()
 * await app.register(sessions, { secretKey: process.env.SECRET_KEY! })
 * app.get('/', async (request) => request.session.get('user') ?? null)
 */
export const sessions = fp(plugin, { fastify: '5.x', name: 'tessera' })

/**
 * A preHandler hook that answers 401 JSON unless the session holds `key`.
 * @example app.get('/me', { preHandler: requireKey('user') }, async (request) => request.session.get('user'))
 */
export function requireKey(key: keyof RegisteredSessionData & string): preHandlerAsyncHookHandler {
  return async function requireSessionKey(request: FastifyRequest, reply: FastifyReply) {
    const session = request.session as Session<SessionData> | null
    if (session === null)
      throw new SessionMiddlewareMissing('register the plugin first: await app.register(sessions, options)')
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return
    const answer = unauthorized(key)
    return reply.code(answer.status).send(answer.body)
  }
}

/**
 * A preHandler hook that refuses (403 JSON) an unsafe request (POST, PUT, PATCH, DELETE...) unless it
 * comes from this origin and carries the session's CSRF token (`csrfToken(request.session)` from
 * 'tessera-session'): in the `x-csrf-token` header, or the `_csrf` field of `request.body` (for HTML
 * forms, register a form parser such as @fastify/formbody; preHandler runs after Fastify parsed the
 * body, so nothing is read twice).
 * @example app.addHook('preHandler', csrfProtection())
 */
export function csrfProtection(options: CsrfOptions = {}): preHandlerAsyncHookHandler {
  const resolved = resolveCsrfOptions(options)
  return async function tesseraCsrf(request: FastifyRequest, reply: FastifyReply) {
    if (isSafeMethod(request.method)) return
    const session = request.session as Session<SessionData> | null
    if (session === null)
      throw new SessionMiddlewareMissing('register the plugin first: await app.register(sessions, options)')
    if (!session.isLoaded) await session.load()
    const refusal = checkCsrf(nodeCsrfRequest(request.raw, resolved, request.body), session, resolved)
    if (refusal !== undefined) return reply.code(refusal.status).send(refusal.body)
  }
}
