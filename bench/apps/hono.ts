/**
 * Hono on @hono/node-server: bare, tessera, hono-sessions, and two references that hold no session
 * at all, to measure what any session middleware pays on Hono: `noop` (an async middleware that only
 * awaits next()) and `vary` (the same, adding `Vary: Cookie` before the response is built).
 */
import { serve } from '@hono/node-server'
import { type Context, Hono } from 'hono'
import { CookieStore, sessionMiddleware } from 'hono-sessions'
import { sessions } from 'tessera-session/hono'
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

/** The few session operations the endpoints need, over whichever library is installed. */
interface Ops {
  get(c: Context, key: string): unknown
  set(c: Context, key: string, value: unknown): void
}

function build(ops: Ops | undefined, install: (app: Hono) => void): Hono {
  const app = new Hono()
  install(app)
  const setAll = (c: Context, data: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(data)) ops?.set(c, k, v)
  }
  app.get('/setup', (c) => {
    setAll(c, SMALL_SESSION)
    return c.text('ok')
  })
  app.get('/setup-large', (c) => {
    setAll(c, LARGE_SESSION)
    return c.text('ok')
  })
  app.get('/read', (c) => c.text(String(ops ? ops.get(c, 'user') : 'alice')))
  app.get('/write', (c) => {
    const count = nextCount(ops?.get(c, 'count'))
    ops?.set(c, 'count', count)
    return c.text(String(count))
  })
  app.get('/new', (c) => {
    ops?.set(c, 'user', 'alice')
    return c.text('ok')
  })
  app.get('/untouched', (c) => c.text('ok'))
  app.get('/large', (c) => c.text(String(ops ? ops.get(c, 'user') : 'alice')))
  return app
}

type AnyContext = Context<{ Variables: Record<string, never> }>
const session = (c: Context) => (c as AnyContext).get('session' as never) as unknown as Ops & object

let app: Hono
switch (VARIANT) {
  case 'bare':
    app = build(undefined, () => {})
    break
  case 'tessera':
    app = build(
      {
        get: (c, k) => (session(c) as unknown as { get(k: string): unknown }).get(k),
        set: (c, k, v) => (session(c) as unknown as { set(k: string, v: unknown): void }).set(k, v),
      },
      (a) => a.use(sessions({ secretKey: SECRET, maxAge: MAX_AGE })),
    )
    break
  case 'noop':
    app = build(undefined, (a) =>
      a.use(async (_c, next) => {
        await next()
      }),
    )
    break
  case 'vary':
    app = build(undefined, (a) =>
      a.use(async (c, next) => {
        c.header('Vary', 'Cookie', { append: true })
        await next()
      }),
    )
    break
  case 'hono-sessions':
    app = build(
      {
        get: (c, k) => (session(c) as unknown as { get(k: string): unknown }).get(k),
        set: (c, k, v) => (session(c) as unknown as { set(k: string, v: unknown): void }).set(k, v),
      },
      (a) =>
        a.use(
          sessionMiddleware({
            store: new CookieStore(),
            encryptionKey: SECRET,
            expireAfterSeconds: MAX_AGE,
            cookieOptions: { path: '/', httpOnly: true, sameSite: 'Lax' },
          }),
        ),
    )
    break
  default:
    unknownVariant('hono')
}
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: PORT }, () => listening('hono'))
