/**
 * tessera on Koa 3. Run: npx tsx --conditions=tessera-session-source examples/koa/app.ts
 * Then: curl -c jar -b jar '127.0.0.1:8000/login?user=ada' ; curl -b jar 127.0.0.1:8000/me
 */
import Koa, { type Middleware } from 'koa'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, sessions } from 'tessera-session/koa'
import { address, exampleOptions, isMain } from '../shared/session.ts'

export function createApp(options: SessionOptions) {
  const app = new Koa()
  app.use(sessions(options))

  // Koa has no router of its own: a small table keeps the example free of extra packages.
  const routes: Record<string, Middleware[]> = {
    '/login': [
      async (ctx) => {
        await login(ctx.session, { user: String(ctx.query.user ?? 'anonymous') })
        ctx.body = { ok: true }
      },
    ],
    '/logout': [
      async (ctx) => {
        await logout(ctx.session)
        ctx.body = { ok: true }
      },
    ],
    // Depends(require_user): a 401 before the handler when nobody is signed in.
    '/me': [
      requireKey('user'),
      (ctx) => {
        ctx.body = { user: ctx.session.get('user') } // typed: string | undefined
      },
    ],
    '/visits': [
      (ctx) => {
        const visits = (ctx.session.get('visits') ?? 0) + 1
        ctx.session.set('visits', visits)
        ctx.body = { visits }
      },
    ],
  }
  app.use(async (ctx, next) => {
    const [first, second] = routes[ctx.path] ?? []
    if (first === undefined) return next()
    await first(ctx, async () => {
      await second?.(ctx, next)
    })
  })
  return app
}

if (isMain(import.meta.url)) {
  createApp(exampleOptions()).listen(address.port, address.host, () =>
    console.log(`koa example on http://${address.host}:${address.port}`),
  )
}
