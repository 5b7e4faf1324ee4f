/**
 * Rough per-request cost of each store behind the engine, for docs/stores.md (not a benchmark
 * suite: one process, sequential requests, bounded count). Needs the services the tests use.
 *
 *   node --conditions=tessera-session-source --import tsx scripts/measure-stores.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { postgresStore } from 'tessera-session/stores/postgres'
import { redisStore } from 'tessera-session/stores/redis'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { databaseUrl, deleteRedisKeys, redisUrl, uniqueName } from '../test/support/services.ts'

const N = 2000
const dir = mkdtempSync(join(tmpdir(), 'tessera-measure-'))
const redis = await redisUrl()
const prefix = `${uniqueName('measure')}:`
const table = uniqueName('measure')
const pgStore = postgresStore({ connectionString: await databaseUrl(), table, sweepInterval: 0 })
await pgStore.migrate()

const stores: [string, Store][] = [
  ['memory', memoryStore()],
  ['sqlite (file, WAL)', sqliteStore({ path: join(dir, 's.db') })],
  ['redis (loopback)', redisStore({ url: redis, prefix })],
  ['postgres (loopback)', pgStore],
]

console.log(`| store | read request (µs) | write request (µs) | untouched request (µs) |`)
console.log('| --- | --- | --- | --- |')
for (const [name, store] of stores) {
  const engine = createStoreEngine({ secretKey: 'measure-secret-0123456789abcdef0123456789', store })
  const first = engine.open(undefined)
  first.session.set('userId', 'alice')
  const cookie = (await first.commit()).setCookie?.split(';')[0]
  const time = async (use: (s: ReturnType<typeof engine.open>['session']) => Promise<void>) => {
    for (let i = 0; i < 200; i++) await run(use) // warm-up
    const started = process.hrtime.bigint()
    for (let i = 0; i < N; i++) await run(use)
    return Number(process.hrtime.bigint() - started) / 1000 / N
  }
  const run = async (use: (s: ReturnType<typeof engine.open>['session']) => Promise<void>) => {
    const opened = engine.open(cookie)
    await use(opened.session)
    await opened.commit()
  }
  let n = 0
  const read = await time(async (s) => void (await s.load()).get('userId'))
  const write = await time(async (s) => void (await s.load()).set('n', ++n))
  const untouched = await time(async () => {})
  console.log(`| ${name} | ${read.toFixed(0)} | ${write.toFixed(0)} | ${untouched.toFixed(1)} |`)
  await store.close?.()
}
await deleteRedisKeys(redis, prefix)
const { default: pg } = await import('pg')
const client = new pg.Client({ connectionString: await databaseUrl() })
await client.connect()
await client.query(`DROP TABLE ${table}`)
await client.end()
rmSync(dir, { recursive: true, force: true })
