/** Koa 3: bare, koa-session (cookie mode), tessera (through its node:http adapter until the Koa adapter lands). */
import Koa, { type Context } from 'koa'
import koaSession from 'koa-session'
import { nodeSessions } from 'tessera/node'
import {
  LARGE_SESSION,
  listening,
  MAX_AGE,
  nextCount,
  PORT,
  SECRET,
  SMALL_SESSION,
  unknownVariant,
  VARIANT,
} from './common.ts'

interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

type Sessions = ((ctx: Context) => Bag) | undefined

/** The endpoints, as one routing middleware (no router package: the bare app stays bare). */
function routes(sessions: Sessions): Koa.Middleware {
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

const app = new Koa()
switch (VARIANT) {
  case 'bare':
    app.use(routes(undefined))
    break
  case 'koa-session':
    app.keys = [SECRET]
    app.use(koaSession({ key: 'session', maxAge: MAX_AGE * 1000, signed: true }, app))
    app.use(
      routes((ctx) => {
        const data = ctx.session as unknown as Record<string, unknown>
        return {
          get: (k) => data[k],
          set: (k, v) => {
            data[k] = v
          },
        }
      }),
    )
    break
  case 'tessera': {
    const session = nodeSessions({ secretKey: SECRET, maxAge: MAX_AGE })
    app.use(routes((ctx) => session(ctx.req, ctx.res)))
    break
  }
  default:
    unknownVariant('koa')
}
app.listen(PORT, '127.0.0.1', () => listening('koa'))
