/** The benchmark endpoints on Fastify, over whichever session plugin the caller registers. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { LARGE_SESSION, nextCount, SMALL_SESSION } from './common.ts'

/** The two calls the endpoints make; every plugin here offers `get`/`set` on `request.session`. */
export interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** How the endpoints reach the request's session; `undefined` for the bare app. */
export type Sessions = ((req: FastifyRequest) => Bag) | undefined

/** `request.session` as a {@link Bag}. */
export const requestSession: Sessions = (req) => (req as unknown as { session: Bag }).session

/** Adds the endpoints of bench/apps/common.ts. */
export function routes(app: FastifyInstance, sessions: Sessions): void {
  const fill = (req: FastifyRequest, data: Record<string, unknown>) => {
    if (sessions) for (const [k, v] of Object.entries(data)) sessions(req).set(k, v)
    return 'ok'
  }
  app.get('/setup', async (req) => fill(req, SMALL_SESSION))
  app.get('/setup-large', async (req) => fill(req, LARGE_SESSION))
  app.get('/new', async (req) => fill(req, { user: 'alice' }))
  app.get('/read', async (req) => String(sessions ? sessions(req).get('user') : 'alice'))
  app.get('/large', async (req) => String(sessions ? sessions(req).get('user') : 'alice'))
  app.get('/write', async (req) => {
    if (!sessions) return '1'
    const count = nextCount(sessions(req).get('count'))
    sessions(req).set('count', count)
    return String(count)
  })
  app.get('/untouched', async () => 'ok')
}
