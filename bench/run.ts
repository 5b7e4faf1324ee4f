/**
 * `npm run bench`: every server pinned to core 1, wrk pinned to core 0, loopback only, bounded in time.
 * Writes bench/results/results.json, results.md and chart.svg.
 *
 * Environment: BENCH_SECONDS (per timed run, default 2), BENCH_ROUNDS (default 2, best kept),
 * BENCH_WARMUP (seconds of warm-up load per endpoint before timing, default 1), BENCH_CONNECTIONS (default 50),
 * BENCH_ONLY (comma-separated parts of server ids, e.g. "hono,express/bare"), BENCH_SKIP_MICRO=1,
 * BENCH_CHECK_ONLY=1 (start every server and check every scenario's answers, time nothing).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { BUILT_SERVERS, removeBuilds } from './lib/built-apps.ts'
import { renderChart } from './lib/chart.ts'
import { type Cell, type Results, renderMarkdown, withTargets } from './lib/report.ts'
import { check, cookieFor, obtainCookies, pathOf, scenariosOf } from './lib/scenarios.ts'
import { DEMO_SERVERS, FASTAPI_SERVERS, NODE_SERVERS } from './lib/server-list.ts'
import { cpuNanoseconds, type Running, start, stop } from './lib/servers.ts'
import { cleanRedis, ensurePackages, ensureRedis, machineInfo } from './lib/system.ts'
import { wrk } from './lib/wrk.ts'

const SERVER_CORE = 1
const LOAD_CORE = 0
const seconds = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 2)))
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const warmup = Math.max(1, Math.round(Number(process.env.BENCH_WARMUP ?? 1)))
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean)
const outDir = process.env.BENCH_OUT ?? 'bench/results'
const checkOnly = process.env.BENCH_CHECK_ONLY === '1'

const startedAt = new Date()
ensurePackages()
await ensureRedis()
mkdirSync(outDir, { recursive: true })

let micro: unknown
let storeScale: unknown
if (process.env.BENCH_SKIP_MICRO !== '1' && !checkOnly) {
  console.log('bench: micro-benchmarks (format vs raw HMAC) on core 1')
  const out = execFileSync(
    'taskset',
    [
      '-c',
      String(SERVER_CORE),
      process.execPath,
      '--conditions=tessera-session-source',
      '--import',
      'tsx',
      'bench/micro/format.ts',
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  )
  micro = JSON.parse(out)
  console.log('bench: memory store at 1, 1,000 and 1,000,000 sessions on core 1')
  const scale = execFileSync(
    'taskset',
    [
      '-c',
      String(SERVER_CORE),
      process.execPath,
      '--expose-gc',
      '--max-old-space-size=4096',
      '--conditions=tessera-session-source',
      '--import',
      'tsx',
      'bench/micro/store-scale.ts',
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  )
  storeScale = JSON.parse(scale)
}

const SERVERS = [...NODE_SERVERS, ...BUILT_SERVERS, ...DEMO_SERVERS, ...FASTAPI_SERVERS]
const specs = SERVERS.filter((s) => !only || only.some((o) => s.id.includes(o)))
const timedRuns = specs.reduce((n, s) => n + scenariosOf(s).length, 0)
const estimate = timedRuns * (warmup + rounds * seconds) + specs.length * 3
console.log(
  `bench: ${specs.length} servers, ${timedRuns} server x scenario cells; ` +
    (checkOnly
      ? 'checking answers only'
      : `about ${Math.round(estimate / 60)} min of load (${warmup} s warm-up + ${rounds} x ${seconds} s per cell), plus builds and micro-benchmarks`),
)
const running: Running[] = []
const cells: Cell[] = []
process.on('exit', () => {
  for (const r of running) stop(r)
  removeBuilds()
})
// Interrupted: stop the servers too, or they outlive the run.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const r of running) stop(r)
    process.exit(130)
  })
}

try {
  // Builds first (Next.js, SvelteKit), one at a time: they need both cores.
  const appDirs = new Map<string, string>()
  for (const spec of specs) {
    if (!spec.prepare || appDirs.has(spec.prepare.name)) continue
    console.log(`bench: ${spec.prepare.name}`)
    appDirs.set(spec.prepare.name, await spec.prepare.run())
  }
  let port = 4100
  for (const spec of specs) {
    const server = await start(spec, port++, SERVER_CORE, spec.prepare && appDirs.get(spec.prepare.name))
    running.push(server)
    const base = `http://127.0.0.1:${server.port}`
    const cookies = await obtainCookies(spec, base, connections)
    for (const scenario of scenariosOf(spec)) {
      const cookie = cookieFor(scenario, cookies)
      const problem = await check(spec, scenario, base, cookie)
      if (problem) console.log(`bench: ${spec.id} ${scenario.id} FAILED its check: ${problem}`)
      cells.push({ server: spec.id, scenario: scenario.id, problem, runs: [] })
    }
    if (checkOnly) {
      console.log(`bench: ${spec.id} checked`)
      stop(server)
      running.pop()
      continue
    }
    // Warm the JIT on every endpoint; the first seconds of a Node server are not its steady state.
    for (const scenario of scenariosOf(spec)) {
      const url = base + pathOf(spec, scenario)
      await wrk({ url, cookie: cookieFor(scenario, cookies), seconds: warmup, connections, core: LOAD_CORE })
    }
    console.log(`bench: ${spec.id} ready on ${server.port}`)
    Object.assign(server, { cookies })
  }

  for (let round = 1; round <= rounds; round++) {
    for (const server of running) {
      const { cookies } = server as Running & { cookies: Awaited<ReturnType<typeof obtainCookies>> }
      for (const scenario of scenariosOf(server.spec)) {
        const cell = cells.find((c) => c.server === server.spec.id && c.scenario === scenario.id) as Cell
        if (cell.problem) continue
        const pid = server.process.pid as number
        const cpuBefore = cpuNanoseconds(pid)
        const result = await wrk({
          url: `http://127.0.0.1:${server.port}${pathOf(server.spec, scenario)}`,
          cookie: cookieFor(scenario, cookies),
          seconds,
          connections,
          core: LOAD_CORE,
        })
        const cpuNsPerRequest = (cpuNanoseconds(pid) - cpuBefore) / Math.max(1, result.requests)
        cell.runs.push({ ...result, cpuNsPerRequest })
        console.log(
          `round ${round}/${rounds} ${server.spec.id.padEnd(32)} ${scenario.id.padEnd(10)} ` +
            `${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s  p99 ${result.p99Ms.toFixed(2)} ms  ` +
            `cpu ${(cpuNsPerRequest / 1000).toFixed(1)} us/req${result.errors ? `  ERRORS ${result.errors}` : ''}`,
        )
      }
    }
  }
} finally {
  for (const r of running) stop(r)
  removeBuilds()
  const removed = cleanRedis('bench-*')
  if (removed) console.log(`bench: removed ${removed} Redis keys`)
}

if (checkOnly) {
  const failed = cells.filter((c) => c.problem)
  console.log(`bench: ${cells.length - failed.length}/${cells.length} checks passed`)
  process.exit(failed.length ? 1 : 0)
}

const results: Results = {
  date: startedAt.toISOString(),
  durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  machine: machineInfo(),
  config: { seconds, rounds, warmup, connections, serverCore: SERVER_CORE, loadCore: LOAD_CORE },
  servers: specs,
  cells,
  micro,
  storeScale,
}
writeFileSync(`${outDir}/results.json`, `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(`${outDir}/results.md`, renderMarkdown(results))
writeFileSync(`${outDir}/chart.svg`, renderChart(results))
if (existsSync(`${outDir}/README.md`))
  writeFileSync(`${outDir}/README.md`, withTargets(readFileSync(`${outDir}/README.md`, 'utf8'), results))
console.log(`bench: done in ${results.durationSeconds} s; see ${outDir}/results.md and ${outDir}/chart.svg`)
