/**
 * Hono with tessera's server-side stores: the cookie holds a signed session id, the data lives in
 * the memory store, a SQLite file (WAL, in a fresh temporary directory) or Redis. Handlers
 * `await session.load()` first, as the store engine requires.
 *
 * Variant `redis-get` holds no session: a middleware makes one `GET` per request on a node-redis
 * client set up as the Redis store's own, the limit for any session kept in Redis (issue 13).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createClient } from 'redis'
import type { Session } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { redisStore } from 'tessera-session/stores/redis'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { routes } from './hono-routes.ts'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const PREFIX = `bench-tessera-${PORT}:`

function store(): Store {
  switch (VARIANT) {
    case 'memory':
      // Room for every session the "new" scenario creates during a run.
      return memoryStore({ maxEntries: 2_000_000 })
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-sqlite-'))
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
      return sqliteStore({ path: join(dir, 'sessions.db') })
    }
    case 'redis':
      return redisStore({ url: REDIS_URL, prefix: PREFIX })
    default:
      return unknownVariant('hono-stores')
  }
}

async function redisGetApp(): Promise<Hono> {
  // The options redisStore({ url }) gives its own client (src/stores/redis.ts).
  const client = createClient({
    url: REDIS_URL,
    disableOfflineQueue: true,
    commandOptions: { timeout: 0 },
  })
  client.on('error', () => {})
  await client.connect()
  const key = `${PREFIX}reference`
  await client.set(key, 'x'.repeat(60))
  const app = new Hono()
  app.use(async (_c, next) => {
    await client.get(key)
    await next()
  })
  routes(app, undefined)
  return app
}

async function sessionApp(): Promise<Hono> {
  const engine = createStoreEngine({ secretKey: SECRET, store: store(), idleTimeout: MAX_AGE })
  const app = new Hono<SessionEnv>()
  app.use(sessions(engine))
  routes(app, (c) => (c as unknown as { var: { session: Session } }).var.session.load())
  return app as unknown as Hono
}

const app = VARIANT === 'redis-get' ? await redisGetApp() : await sessionApp()
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: PORT }, () => listening('hono-stores'))
