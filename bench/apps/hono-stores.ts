/**
 * Hono with tessera's server-side stores: the cookie holds a signed session id, the data lives in
 * the memory store, a SQLite file (WAL, in a fresh temporary directory) or Redis. Handlers
 * `await session.load()` first, as the store engine requires.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Session } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { redisStore } from 'tessera-session/stores/redis'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { routes } from './hono-routes.ts'

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
      return redisStore({ url: 'redis://127.0.0.1:6379', prefix: `bench-tessera-${PORT}:` })
    default:
      return unknownVariant('hono-stores')
  }
}

const engine = createStoreEngine({ secretKey: SECRET, store: store(), idleTimeout: MAX_AGE })
const app = new Hono<SessionEnv>()
app.use(sessions(engine))
routes(app, (c) => (c as unknown as { var: { session: Session } }).var.session.load())
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: PORT }, () => listening('hono-stores'))
