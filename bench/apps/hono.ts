/**
 * Hono on @hono/node-server: bare, tessera, the peers (hono-sessions, the official @hono/session), and
 * the two references of ./common.ts (`noop`, `vary`).
 */
import { createHash } from 'node:crypto'
import { serve } from '@hono/node-server'
import { type SessionEnv as HonoSessionEnv, useSession } from '@hono/session'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { CookieStore, sessionMiddleware } from 'hono-sessions'
import { sessions } from 'tessera-session/hono'
import { type Bag, listening, MAX_AGE, OPTIONS, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { routes, type Sessions } from './hono-routes.ts'

function build(session: Sessions, middleware: MiddlewareHandler[]): Hono {
  const app = new Hono()
  for (const m of middleware) app.use(m)
  routes(app, session)
  return app
}

// tessera and hono-sessions both put an object with get/set on `c.var.session`.
const varSession: Sessions = (c) => (c as Context<{ Variables: { session: Bag } }>).var.session

/**
 * @hono/session keeps the data as one object: read it once, write it back once when a value changed.
 * Its `secret` is 32 bytes in hex: the SHA-256 of the shared secret.
 */
const honoSession: Sessions = async (c) => {
  const session = (c as unknown as Context<HonoSessionEnv<Record<string, unknown>>>).var.session
  let data = (await session.get()) ?? {}
  let changed = false
  return {
    get: (k) => data[k],
    set: (k, v) => {
      data = { ...data, [k]: v }
      changed = true
    },
    save: async () => {
      if (changed) await session.update(data)
    },
  }
}

function createApp(): Hono {
  switch (VARIANT) {
    case 'bare':
      return build(undefined, [])
    case 'tessera':
      return build(varSession, [sessions(OPTIONS)])
    case 'noop':
      return build(undefined, [
        async (_c, next) => {
          await next()
        },
      ])
    case 'vary':
      // Set before the response is built: after next(), @hono/node-server falls off its fast path.
      return build(undefined, [
        async (c, next) => {
          c.header('Vary', 'Cookie', { append: true })
          await next()
        },
      ])
    case 'hono-sessions':
      return build(varSession, [
        sessionMiddleware({
          store: new CookieStore(),
          encryptionKey: SECRET,
          expireAfterSeconds: MAX_AGE,
          cookieOptions: { path: '/', httpOnly: true, sameSite: 'Lax' },
        }),
      ])
    case 'hono-session':
      return build(honoSession, [
        useSession({
          secret: createHash('sha256').update(SECRET).digest('hex'),
          duration: { absolute: MAX_AGE },
        }) as unknown as MiddlewareHandler,
      ])
    default:
      return unknownVariant('hono')
  }
}

serve({ fetch: createApp().fetch, hostname: '127.0.0.1', port: PORT }, () => listening('hono'))
