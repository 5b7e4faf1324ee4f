/**
 * Store writes, measured at the store: 50 concurrent requests that each change one key of a
 * session, either each on its own session (uncontended) or all on one session (contended), through
 * the store engine with and without `Store.merge` (without it: compare-and-set, random backoff and a
 * re-read per lost race), on Redis, PostgreSQL and SQLite side by side in one run. Counts store
 * round trips and lost compare-and-sets per write, and times each write (p50/p99) and the whole
 * round; prints the load average before and after, since the rates are wall-clock. Usage:
 *   node --conditions=tessera-session-source --import tsx bench/micro/store-contention.ts \
 *     [--rounds 20] [--stores redis,postgres,sqlite]
 * Redis: REDIS_URL, PostgreSQL: DATABASE_URL, or the servers the test suites use.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createStoreEngine, type Store } from 'tessera-session/stores'
import { postgresStore } from 'tessera-session/stores/postgres'
import { redisStore } from 'tessera-session/stores/redis'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { databaseUrl, redisUrl, uniqueName } from '../../test/support/services.ts'
import { SECRET } from '../apps/common.ts'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    stores: { type: 'string', default: 'redis,postgres,sqlite' },
  },
})
const ROUNDS = Number(values.rounds)
const CONCURRENCY = 50

interface Counts {
  calls: number
  lostSets: number
}

/** `call`, counted as one store round trip. */
function tally<T>(counts: Counts, call: () => Promise<T>): Promise<T> {
  counts.calls++
  return call()
}

/** `store` with its round trips counted; without `merge` when `merge` is false. */
function counted(store: Store, merge: boolean, counts: Counts): Store {
  const wrapped: Store = {
    get: (key) => tally(counts, () => store.get(key)),
    set: async (key, record) => {
      counts.calls++
      const ok = await store.set(key, record)
      if (!ok) counts.lostSets++
      return ok
    },
    destroy: (key) => tally(counts, () => store.destroy(key)),
  }
  if (store.touch)
    wrapped.touch = (key, at) => tally(counts, () => (store.touch as NonNullable<Store['touch']>)(key, at))
  if (merge && store.merge) {
    const m = store.merge.bind(store)
    wrapped.merge = (key, changes, update) => tally(counts, () => m(key, changes, update))
  }
  return wrapped
}

const cookieOf = (setCookie: string) => setCookie.slice(0, setCookie.indexOf(';'))

async function scenario(store: Store, merge: boolean, contended: boolean) {
  const counts: Counts = { calls: 0, lostSets: 0 }
  const engine = createStoreEngine({ secretKey: SECRET, store: counted(store, merge, counts) })
  const newSession = async () => {
    const opened = engine.open(undefined)
    await opened.session.load()
    opened.session.set('user', 'alice')
    const result = await opened.commit()
    return cookieOf(result.setCookie as string)
  }
  const latencies: number[] = []
  let writes = 0
  let elapsed = 0
  for (let round = 0; round < ROUNDS; round++) {
    const shared = contended ? await newSession() : undefined
    const cookies = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => (shared === undefined ? newSession() : shared)),
    )
    const start = performance.now()
    await Promise.all(
      cookies.map(async (cookie, i) => {
        const t = performance.now()
        const opened = engine.open(cookie)
        await opened.session.load()
        opened.session.set(`key${i}`, round)
        await opened.commit()
        latencies.push(performance.now() - t)
      }),
    )
    elapsed += performance.now() - start
    writes += CONCURRENCY
  }
  latencies.sort((a, b) => a - b)
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { writes, elapsed, p50: pick(0.5), p99: pick(0.99), counts }
}

/** A fresh store of each kind, and how to remove what it wrote. */
const STORES: Record<string, () => Promise<{ store: Store; close(): Promise<void> }>> = {
  async redis() {
    const store = redisStore({ url: await redisUrl(), prefix: `bench-contention-${process.pid}:` })
    return { store, close: () => store.close() }
  },
  async postgres() {
    const url = await databaseUrl()
    const table = uniqueName('bench_contention')
    const store = postgresStore({ connectionString: url, table, sweepInterval: 0 })
    await store.migrate()
    return {
      store,
      close: async () => {
        await store.close()
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        await client.query(`DROP TABLE ${table}`)
        await client.end()
      },
    }
  },
  async sqlite() {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-contention-'))
    const store = sqliteStore({ path: join(dir, 'sessions.db'), sweepInterval: 0 })
    return {
      store,
      close: async () => {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

async function main(): Promise<void> {
  const names = (values.stores ?? '').split(',')
  for (const name of names) if (!(name in STORES)) throw new Error(`--stores: unknown store ${name}`)
  console.log(
    `${ROUNDS} rounds x ${CONCURRENCY} concurrent writes (load + set + commit), Node ${process.version}`,
  )
  console.log(`load average before: ${load()}`)
  console.log(
    '| store | scenario | write path | writes/s | p50 ms | p99 ms | store calls / write | lost CAS / write |',
  )
  console.log('|---|---|---|---:|---:|---:|---:|---:|')
  for (const name of names) {
    const { store, close } = await (STORES[name] as () => ReturnType<(typeof STORES)['redis']>)()
    for (const contended of [false, true]) {
      for (const merge of [false, true]) {
        // Counted from the write phase alone: the calls of creating the sessions are taken out below.
        const r = await scenario(store, merge, contended)
        const creates = contended ? ROUNDS : ROUNDS * CONCURRENCY
        const perWrite = (r.counts.calls - creates) / r.writes
        console.log(
          `| ${name} | ${contended ? 'all 50 on one session' : 'one session each'} | ${merge ? 'merge' : 'compare-and-set + backoff'} | ${Math.round((r.writes / r.elapsed) * 1000)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${perWrite.toFixed(2)} | ${(r.counts.lostSets / r.writes).toFixed(2)} |`,
        )
      }
    }
    await close()
  }
  console.log(`load average after: ${load()}`)
}

await main()
