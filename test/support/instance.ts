/**
 * One app instance, run as its own process by the two-instance test: the test app on a store named by
 * STORE (redis | postgres) at STORE_URL, with PREFIX (Redis) or TABLE (PostgreSQL). Prints
 * `listening <url>` once it serves, and stops on SIGTERM.
 */
import { createStoreEngine, type Store } from 'tessera/stores'
import { postgresStore } from 'tessera/stores/postgres'
import { redisStore } from 'tessera/stores/redis'
import { createStoreApp, serveApp } from './app.ts'

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`instance: ${name} is not set`)
  return value
}

const store: Store =
  env('STORE') === 'redis'
    ? redisStore({ url: env('STORE_URL'), prefix: env('PREFIX') })
    : postgresStore({ connectionString: env('STORE_URL'), table: env('TABLE') })
const engine = createStoreEngine({ secretKey: env('SECRET'), store })
const server = await serveApp(createStoreApp(engine))
console.log(`listening ${server.url}`)
process.once('SIGTERM', async () => {
  await server.close()
  await store.close?.()
  process.exit(0)
})
