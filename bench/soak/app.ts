/**
 * The soak's server, run as a child process by bench/soak/run.ts so that its resident memory is the
 * app's alone: the demo app (examples/demo) on a store-backed engine, over HTTP on a loopback port.
 * It samples its own memory and the store's size every second, and answers the parent's questions
 * over IPC.
 *
 * argv: <memory|sqlite> <idleTimeoutSeconds> <sweepIntervalSeconds> <maxEntries>
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import Database from 'better-sqlite3'
import { createStoreEngine, memoryStore, type Store } from 'tessera-session/stores'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { createDemoApp } from '../../examples/demo/app.ts'
import type { DemoSession } from '../../examples/demo/state.ts'

/** One sample of the server's state. */
export interface Sample {
  /** Seconds since the server started. */
  at: number
  rssMb: number
  heapUsedMb: number
  /** Sessions the store holds (expired ones not yet swept included). */
  storeSize: number
}

/** Messages from the parent. */
export type Ask = { type: 'sample' } | { type: 'stop' }

const [kind, idle, sweep, max] = process.argv.slice(2)
const idleTimeout = Number(idle)
const sweepInterval = Number(sweep)
const maxEntries = Number(max)

let store: Store
let size: () => number
let cleanupFiles = () => {}
if (kind === 'memory') {
  const memory = memoryStore({ maxEntries, sweepInterval })
  store = memory
  size = () => memory.size
} else if (kind === 'sqlite') {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-soak-'))
  const database = new Database(join(dir, 'sessions.db'))
  store = sqliteStore({ database, sweepInterval })
  const count = database.prepare('SELECT COUNT(*) AS n FROM tessera_sessions')
  size = () => (count.get() as { n: number }).n
  cleanupFiles = () => {
    database.close()
    rmSync(dir, { recursive: true, force: true })
  }
} else {
  throw new Error(`store: ${String(kind)} is not memory or sqlite`)
}

const engine = createStoreEngine<DemoSession>({
  secretKey: 'soak-secret-0123456789abcdef0123456789abcdef',
  store,
  idleTimeout,
  absoluteTimeout: Math.max(idleTimeout * 10, 3600),
  // A loaded machine can stall a store call; the soak counts failures, it does not provoke them.
  timeout: 30_000,
})
const app = createDemoApp(engine)
const started = performance.now()
const sample = (): Sample => {
  const memory = process.memoryUsage()
  return {
    at: Math.round((performance.now() - started) / 100) / 10,
    rssMb: Math.round(memory.rss / 2 ** 20),
    heapUsedMb: Math.round(memory.heapUsed / 2 ** 20),
    storeSize: size(),
  }
}

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  process.send?.({ type: 'ready', port: info.port, sample: sample() })
})
process.on('message', async (ask: Ask) => {
  if (ask.type === 'sample') process.send?.({ type: 'sample', sample: sample() })
  else if (ask.type === 'stop') {
    server.close()
    if ('closeAllConnections' in server) server.closeAllConnections()
    await store.close?.()
    cleanupFiles()
    process.exit(0)
  }
})
// The parent went away (killed, crashed): do not linger.
process.on('disconnect', () => process.exit(1))
