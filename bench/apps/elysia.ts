/** Elysia 1.x under Bun: bare, and tessera's Elysia plugin. Run by the bench with the `bun` package's binary. */
import { Elysia } from 'elysia'
import { sessions } from 'tessera-session/elysia'
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
type Context = { session?: Bag }

const fill = ({ session }: Context, data: Record<string, unknown>) => {
  if (session) for (const [k, v] of Object.entries(data)) session.set(k, v)
  return 'ok'
}
function routes(app: Elysia) {
  return app
    .get('/setup', (c) => fill(c as Context, SMALL_SESSION))
    .get('/setup-large', (c) => fill(c as Context, LARGE_SESSION))
    .get('/new', (c) => fill(c as Context, { user: 'alice' }))
    .get('/read', (c) => String((c as Context).session?.get('user') ?? 'alice'))
    .get('/large', (c) => String((c as Context).session?.get('user') ?? 'alice'))
    .get('/write', (c) => {
      const { session } = c as Context
      if (!session) return '1'
      const count = nextCount(session.get('count'))
      session.set('count', count)
      return String(count)
    })
    .get('/untouched', () => 'ok')
}

const app = new Elysia()
if (VARIANT === 'tessera') app.use(sessions({ secretKey: SECRET, maxAge: MAX_AGE }))
else if (VARIANT !== 'bare') unknownVariant('elysia')
routes(app).listen({ hostname: '127.0.0.1', port: PORT })
listening('elysia')
