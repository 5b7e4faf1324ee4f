/**
 * `npm run soak`: a bounded load through the demo app (examples/demo) on the memory store and on
 * SQLite, loopback only. For each store it starts the app in a child process, sends the requests,
 * samples the app's resident memory and the store's size every second, then stops the load and waits
 * for the sessions to expire and be swept. A run passes when it had zero errors, its peak RSS stayed
 * under the bound, and the store emptied itself after the idle timeout.
 *
 *   npm run soak                                   # 1,000,000 requests over 100,000 sessions, each store
 *   npm run soak -- --store sqlite --requests 200000 --sessions 20000
 *
 * Options (defaults in SOAK_DEFAULTS): --store memory|sqlite|both, --requests, --sessions,
 * --connections, --window, --idle (seconds), --sweep (seconds), --rss-limit (MB), --max-seconds,
 * --out (directory for soak-<store>.json and soak.md; '' writes nothing).
 * Exit status 1 when a run fails its checks.
 */
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Sample } from './app.ts'
import { type LoadResult, runLoad } from './load.ts'
import { writeSoakReport } from './report.ts'

/** The full-size soak of issue 12. */
export const SOAK_DEFAULTS = Object.freeze({
  requests: 1_000_000,
  sessions: 100_000,
  connections: 32,
  window: 1_000,
  /** Short, so sessions expire (and are swept) while the run goes on. */
  idle: 30,
  sweep: 5,
  /** The stated bound on the app's resident memory. */
  rssLimitMb: 400,
  /** A bound on the run's time: 2 hours per store. */
  maxSeconds: 7_200,
})

/** The app process's V8 old-space limit, in MB. */
const HEAP_LIMIT_MB = 256

/** One store's soak, as recorded. */
export interface SoakRecord {
  store: 'memory' | 'sqlite'
  date: string
  machine: string
  plan: {
    requests: number
    sessions: number
    connections: number
    window: number
    idleSeconds: number
    sweepSeconds: number
    rssLimitMb: number
  }
  load: LoadResult
  /** Samples every second during the load and the wait for expiry. */
  samples: Sample[]
  storeSize: { peak: number; atEndOfLoad: number; afterExpiry: number; expiryWaitSeconds: number }
  rss: { startMb: number; peakMb: number; endMb: number; afterExpiryMb: number }
  passed: boolean
  failures: string[]
}

export interface SoakOptions {
  store: 'memory' | 'sqlite'
  requests: number
  sessions: number
  connections: number
  window: number
  idle: number
  sweep: number
  rssLimitMb: number
  maxSeconds: number
  log?: (line: string) => void
}

/** Runs one store's soak and checks it. */
export async function soak(o: SoakOptions): Promise<SoakRecord> {
  const log = o.log ?? (() => {})
  const app = fork(
    new URL('./app.ts', import.meta.url).pathname,
    [o.store, String(o.idle), String(o.sweep), String(o.sessions + o.window)],
    {
      // A production-like heap cap: V8 otherwise grows its heap lazily towards a limit set by the
      // machine's RAM (GBs here), and RSS would measure its laziness rather than what the app keeps.
      execArgv: [
        `--max-old-space-size=${HEAP_LIMIT_MB}`,
        '--conditions=tessera-session-source',
        '--import',
        'tsx',
      ],
      stdio: 'inherit',
    },
  )
  const samples: Sample[] = []
  const ask = (type: 'sample'): Promise<Sample> =>
    new Promise((resolve) => {
      const onMessage = (m: { type: string; sample: Sample }) => {
        if (m.type !== type) return
        app.off('message', onMessage)
        resolve(m.sample)
      }
      app.on('message', onMessage)
      app.send({ type })
    })
  const exited = new Promise<number | null>((resolve) => app.once('exit', resolve))
  try {
    const ready = await new Promise<{ port: number; sample: Sample }>((resolve, reject) => {
      app.once('message', resolve)
      app.once('exit', (code) => reject(new Error(`the soak app exited (${code}) before it listened`)))
    })
    samples.push(ready.sample)
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, 1000))
        if (sampling) samples.push(await ask('sample'))
      }
    })()
    log(`${o.store}: ${o.requests} requests over ${o.sessions} sessions, ${o.connections} connections`)
    let ticks = 0
    const load = await runLoad({
      port: ready.port,
      requests: o.requests,
      sessions: o.sessions,
      connections: o.connections,
      window: o.window,
      maxSeconds: o.maxSeconds,
      onProgress: (done) => {
        if (++ticks % 30 === 0) {
          const last = samples.at(-1)
          log(`${o.store}: ${done} requests, rss ${last?.rssMb} MB, store ${last?.storeSize}`)
        }
      },
    })
    const atEnd = await ask('sample')
    samples.push(atEnd)
    log(
      `${o.store}: load done (${load.requests} in ${load.seconds} s, ${load.errors} errors); waiting for expiry`,
    )
    // Every session was last used before now: after the idle timeout and a sweep or two, none is left.
    const waitStart = performance.now()
    const limit = (o.idle + 4 * o.sweep + 30) * 1000
    let last = atEnd
    while (performance.now() - waitStart < limit) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      last = samples.at(-1) ?? last
      if (performance.now() - waitStart > o.idle * 1000 && last.storeSize === 0) break
    }
    sampling = false
    await sampler
    const after = await ask('sample')
    samples.push(after)
    const peakRss = Math.max(...samples.map((s) => s.rssMb))
    const failures: string[] = []
    if (load.errors > 0) failures.push(`${load.errors} errors, e.g. ${load.examples.join('; ')}`)
    if (peakRss > o.rssLimitMb) failures.push(`peak RSS ${peakRss} MB over the ${o.rssLimitMb} MB bound`)
    if (after.storeSize !== 0) failures.push(`${after.storeSize} sessions left after the idle timeout`)
    if (load.cutShort) failures.push(`stopped after ${o.maxSeconds} s with ${load.requests} requests done`)
    return {
      store: o.store,
      date: new Date().toISOString(),
      machine: await machine(),
      plan: {
        requests: o.requests,
        sessions: o.sessions,
        connections: o.connections,
        window: o.window,
        idleSeconds: o.idle,
        sweepSeconds: o.sweep,
        rssLimitMb: o.rssLimitMb,
      },
      load,
      samples,
      storeSize: {
        peak: Math.max(...samples.map((s) => s.storeSize)),
        atEndOfLoad: atEnd.storeSize,
        afterExpiry: after.storeSize,
        expiryWaitSeconds: Math.round((performance.now() - waitStart) / 1000),
      },
      rss: {
        startMb: ready.sample.rssMb,
        peakMb: peakRss,
        endMb: atEnd.rssMb,
        afterExpiryMb: after.rssMb,
      },
      passed: failures.length === 0,
      failures,
    }
  } finally {
    if (app.exitCode === null) {
      app.send({ type: 'stop' })
      await exited
    }
  }
}

async function machine(): Promise<string> {
  const os = await import('node:os')
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'both' },
      requests: { type: 'string', default: String(SOAK_DEFAULTS.requests) },
      sessions: { type: 'string', default: String(SOAK_DEFAULTS.sessions) },
      connections: { type: 'string', default: String(SOAK_DEFAULTS.connections) },
      window: { type: 'string', default: String(SOAK_DEFAULTS.window) },
      idle: { type: 'string', default: String(SOAK_DEFAULTS.idle) },
      sweep: { type: 'string', default: String(SOAK_DEFAULTS.sweep) },
      'rss-limit': { type: 'string', default: String(SOAK_DEFAULTS.rssLimitMb) },
      'max-seconds': { type: 'string', default: String(SOAK_DEFAULTS.maxSeconds) },
      out: { type: 'string', default: 'bench/results' },
    },
  })
  const stores = values.store === 'both' ? (['memory', 'sqlite'] as const) : [values.store]
  let failed = false
  for (const store of stores) {
    if (store !== 'memory' && store !== 'sqlite') throw new Error(`--store ${store}: memory, sqlite or both`)
    const record = await soak({
      store,
      requests: Number(values.requests),
      sessions: Number(values.sessions),
      connections: Number(values.connections),
      window: Number(values.window),
      idle: Number(values.idle),
      sweep: Number(values.sweep),
      rssLimitMb: Number(values['rss-limit']),
      maxSeconds: Number(values['max-seconds']),
      log: (line) => console.log(`soak ${new Date().toISOString().slice(11, 19)} ${line}`),
    })
    console.log(
      `soak ${store}: ${record.passed ? 'PASSED' : 'FAILED'}: ${record.load.requests} requests, ${record.load.errors} errors, ` +
        `${record.load.seconds} s, RSS peak ${record.rss.peakMb} MB, store peak ${record.storeSize.peak} -> ${record.storeSize.afterExpiry}`,
    )
    for (const failure of record.failures) console.log(`  ${failure}`)
    failed ||= !record.passed
    if (values.out !== '') {
      mkdirSync(values.out, { recursive: true })
      writeFileSync(join(values.out, `soak-${store}.json`), `${JSON.stringify(record, null, 1)}\n`)
      writeSoakReport(values.out)
    }
  }
  process.exitCode = failed ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
