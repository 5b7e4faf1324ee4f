/** Koa 3 with koa-session (cookie mode, signed). */
import Koa from 'koa'
import koaSession from 'koa-session'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { routes } from './koa-routes.ts'

const app = new Koa()
if (VARIANT !== 'koa-session') unknownVariant('koa-peers')
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
app.listen(PORT, '127.0.0.1', () => listening('koa-peers'))
