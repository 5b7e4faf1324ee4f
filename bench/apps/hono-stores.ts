/**
 * Hono with tessera's server-side stores: the cookie holds a signed session id, the data lives in
 * the memory store or in Redis. Handlers `await session.load()` first, as the store engine requires.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Session } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { redisStore } from 'tessera-session/stores/redis'
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

function store(): Store {
  switch (VARIANT) {
    case 'memory':
      // Room for every session the "new" scenario creates during a run.
      return memoryStore({ maxEntries: 2_000_000 })
    case 'redis':
      return redisStore({ url: 'redis://127.0.0.1:6379', prefix: `bench-tessera-${PORT}:` })
    default:
      return unknownVariant('hono-stores')
  }
}

const engine = createStoreEngine({ secretKey: SECRET, store: store(), idleTimeout: MAX_AGE })
const app = new Hono<SessionEnv>()
app.use(sessions(engine))
const session = async (c: { var: { session: Session } }) => c.var.session.load()
const fill = async (c: { var: { session: Session } }, data: Record<string, unknown>) => {
  const s = await session(c)
  for (const [k, v] of Object.entries(data)) s.set(k, v)
}
app.get('/setup', async (c) => {
  await fill(c, SMALL_SESSION)
  return c.text('ok')
})
app.get('/setup-large', async (c) => {
  await fill(c, LARGE_SESSION)
  return c.text('ok')
})
app.get('/new', async (c) => {
  await fill(c, { user: 'alice' })
  return c.text('ok')
})
app.get('/read', async (c) => c.text(String((await session(c)).get('user'))))
app.get('/large', async (c) => c.text(String((await session(c)).get('user'))))
app.get('/write', async (c) => {
  const s = await session(c)
  const count = nextCount(s.get('count'))
  s.set('count', count)
  return c.text(String(count))
})
app.get('/untouched', (c) => c.text('ok'))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: PORT }, () => listening('hono-stores'))
