/** Koa 3: bare, tessera's Koa adapter, and the references of ./common.ts. */
import Koa from 'koa'
import { sessions } from 'tessera-session/koa'
import { listening, OPTIONS, PORT, unknownVariant, VARIANT } from './common.ts'
import { routes } from './koa-routes.ts'

const app = new Koa()
switch (VARIANT) {
  case 'bare':
    app.use(routes(undefined))
    break
  case 'tessera':
    app.use(sessions(OPTIONS))
    app.use(routes((ctx) => ctx.session))
    break
  case 'noop':
    app.use(async (_ctx, next) => {
      await next()
    })
    app.use(routes(undefined))
    break
  case 'vary':
    app.use(async (ctx, next) => {
      ctx.set('Vary', 'Cookie')
      await next()
    })
    app.use(routes(undefined))
    break
  default:
    unknownVariant('koa')
}
app.listen(PORT, '127.0.0.1', () => listening('koa'))
