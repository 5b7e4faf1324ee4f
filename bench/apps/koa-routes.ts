/** The benchmark endpoints on Koa, as one routing middleware (no router package: bare stays bare). */
import type { Context, Middleware } from 'koa'
import { LARGE_SESSION, nextCount, SMALL_SESSION } from './common.ts'

/** The two calls the endpoints make. */
export interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** How the endpoints reach the request's session; `undefined` for the bare app. */
export type Sessions = ((ctx: Context) => Bag) | undefined

/** The endpoints of bench/apps/common.ts. */
export function routes(sessions: Sessions): Middleware {
  const fill = (ctx: Context, data: Record<string, unknown>) => {
    if (sessions) {
      const s = sessions(ctx)
      for (const [k, v] of Object.entries(data)) s.set(k, v)
    }
    ctx.body = 'ok'
  }
  return (ctx) => {
    switch (ctx.path) {
      case '/setup':
        return fill(ctx, SMALL_SESSION)
      case '/setup-large':
        return fill(ctx, LARGE_SESSION)
      case '/new':
        return fill(ctx, { user: 'alice' })
      case '/read':
      case '/large':
        ctx.body = String(sessions ? sessions(ctx).get('user') : 'alice')
        return
      case '/write': {
        if (!sessions) {
          ctx.body = '1'
          return
        }
        const s = sessions(ctx)
        const count = nextCount(s.get('count'))
        s.set('count', count)
        ctx.body = String(count)
        return
      }
      case '/untouched':
        ctx.body = 'ok'
        return
      default:
        ctx.status = 404
    }
  }
}
