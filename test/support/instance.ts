/**
 * One app instance, run as its own process by the two-instance test: the test app on a store named by
 * STORE (redis | postgres | sqlite) at STORE_URL (a file path for SQLite), with PREFIX (Redis) or
 * TABLE (PostgreSQL). Prints
 * `listening <url>` once it serves, and stops on SIGTERM.
 */
import { createStoreEngine, type Store } from 'tessera-session/stores'
import { postgresStore } from 'tessera-session/stores/postgres'
import { redisStore } from 'tessera-session/stores/redis'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { createStoreApp, serveApp } from './app.ts'

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`instance: ${name} is not set`)
  return value
}

function openStore(kind: string): Store {
  if (kind === 'redis') return redisStore({ url: env('STORE_URL'), prefix: env('PREFIX') })
  if (kind === 'postgres') return postgresStore({ connectionString: env('STORE_URL'), table: env('TABLE') })
  if (kind === 'sqlite') return sqliteStore({ path: env('STORE_URL') })
  throw new Error(`instance: STORE=${kind} is not redis, postgres or sqlite`)
}

const store = openStore(env('STORE'))
const engine = createStoreEngine({ secretKey: env('SECRET'), store })
const server = await serveApp(createStoreApp(engine))
console.log(`listening ${server.url}`)
process.once('SIGTERM', async () => {
  await server.close()
  await store.close?.()
  process.exit(0)
})
