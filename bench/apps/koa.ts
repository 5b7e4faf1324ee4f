/** Koa 3: bare, tessera's Koa adapter, and the references of ./common.ts. */
import Koa from 'koa'
import { sessions } from 'tessera-session/koa'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { routes } from './koa-routes.ts'

const app = new Koa()
switch (VARIANT) {
  case 'bare':
    app.use(routes(undefined))
    break
  case 'tessera':
    app.use(sessions({ secretKey: SECRET, maxAge: MAX_AGE }))
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
