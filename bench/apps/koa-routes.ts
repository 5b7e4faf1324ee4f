/** The benchmark endpoints on Koa, as one routing middleware (no router package: bare stays bare). */
import type { Context, Middleware } from 'koa'
import { type Bag, ENDPOINT_BY_PATH, handlerOf } from './common.ts'

/** How the endpoints reach the request's session; `undefined` for the apps without one. */
export type Sessions = ((ctx: Context) => Bag) | undefined

/** The endpoints of ./endpoints.ts. */
export function routes(sessions: Sessions): Middleware {
  const byPath = new Map([...ENDPOINT_BY_PATH].map(([path, e]) => [path, handlerOf(e, sessions)]))
  return (ctx) => {
    const handle = byPath.get(ctx.path)
    if (handle) ctx.body = handle(ctx)
    else ctx.status = 404
  }
}
