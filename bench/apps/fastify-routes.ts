/** The benchmark endpoints on Fastify, over whichever session plugin the caller registers. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Bag, ENDPOINTS, handlerOf } from './common.ts'

/** How the endpoints reach the request's session; `undefined` for the apps without one. */
export type Sessions = ((req: FastifyRequest) => Bag) | undefined

/** `request.session` as a {@link Bag}: every plugin here offers `get`/`set` on it. */
export const requestSession: Sessions = (req) => (req as unknown as { session: Bag }).session

/** The two references of ./common.ts, as an `onRequest` hook (where tessera's plugin opens the session). */
export function reference(app: FastifyInstance, kind: 'noop' | 'vary'): void {
  if (kind === 'noop') app.addHook('onRequest', async () => {})
  else
    app.addHook('onRequest', async (_req, reply) => {
      reply.header('vary', 'Cookie')
    })
}

/** Adds the endpoints of ./endpoints.ts. */
export function routes(app: FastifyInstance, sessions: Sessions): void {
  for (const endpoint of ENDPOINTS) {
    const handle = handlerOf(endpoint, sessions)
    app.get(endpoint.path, async (req) => handle(req))
  }
}
