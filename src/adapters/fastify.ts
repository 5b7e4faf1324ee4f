/**
 * Fastify adapter (Fastify 5): a plugin registered with fastify-plugin, so `request.session` is
 * available in every route of the instance. Typed through {@link Register}.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { type CommitResult, type Engine, toEngine } from '../engine.ts'
import { StoreUnavailable } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { Session, SessionData } from '../session.ts'
import {
  type CommitFailure,
  commitFailure,
  JSON_CONTENT_TYPE,
  shouldCommit,
  varyWithCookie,
} from './commit.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session, added by tessera's plugin. */
    session: Session<RegisteredSessionData>
  }
}

/** Options of the plugin: tessera's session options, or an engine (a store engine, for instance). */
export type FastifySessionOptions = SessionOptions | Engine<RegisteredSessionData>

const plugin: FastifyPluginAsync<FastifySessionOptions> = async (fastify, options) => {
  const engine = toEngine(options)
  fastify.decorateRequest('session', null as unknown as Session<RegisteredSessionData>)
  // A store that failed while the handler loaded the session, per request (see the onError hook).
  const storeDown = new WeakMap<FastifyRequest, StoreUnavailable>()
  fastify.addHook('onRequest', async (request) => {
    request.session = engine.open(request.headers.cookie)
  })
  // onError only observes: the error handler (Fastify's or the app's own, which this plugin leaves
  // alone) still answers, and onSend replaces that answer with the 503 of a failed commit.
  fastify.addHook('onError', async (request, _reply, error) => {
    if (error instanceof StoreUnavailable) storeDown.set(request, error)
  })
  // onSend runs once the payload is final and before the headers are written: the last moment.
  fastify.addHook('onSend', async (request, reply, payload) => {
    const down = storeDown.get(request)
    if (down !== undefined) return answer(reply, commitFailure(down) as CommitFailure)
    if (!shouldCommit(reply.statusCode)) return payload
    let result: CommitResult
    try {
      const committed = engine.commit(request.session)
      result = committed instanceof Promise ? await committed : committed
    } catch (error) {
      const failure = commitFailure(error)
      if (failure === undefined) throw error
      return answer(reply, failure)
    }
    apply(reply, result)
    return payload
  })
}

/** Replaces the reply's status and payload with a failure answer; no cookie is written. */
function answer(reply: FastifyReply, failure: CommitFailure): string {
  reply.code(failure.status).header('content-type', JSON_CONTENT_TYPE)
  return failure.body
}

function apply(reply: FastifyReply, { setCookie, vary }: CommitResult): void {
  if (vary) {
    const existing = reply.getHeader('vary')
    reply.header('vary', varyWithCookie(Array.isArray(existing) ? existing.join(', ') : existing?.toString()))
  }
  // Fastify appends repeated set-cookie headers; the value is written raw.
  if (setCookie !== undefined) reply.header('set-cookie', setCookie)
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
      throw new Error('tessera: no session on this request; register the tessera plugin first')
    if (!session.isLoaded) await session.load()
    if (session.has(key)) return
    const answer = unauthorized(key)
    return reply.code(answer.status).send(answer.body)
  }
}
