/**
 * `npm run bench`: every server pinned to core 1, wrk pinned to core 0, loopback only, bounded in time.
 * Writes bench/results/results.json, results.md and chart.svg.
 *
 * Environment: BENCH_SECONDS (per timed run, default 1), BENCH_ROUNDS (default 3, best kept),
 * BENCH_WARMUP (seconds of warm-up load per server, over all its endpoints, default 2), BENCH_BLOCK_WARMUP
 * (seconds of the same, untimed, before each server's scenarios in every round, default 1), BENCH_CONNECTIONS (default 50),
 * BENCH_BASELINE (an older checkout: its tessera on the Hono row beside this one, see lib/baseline.ts),
 * BENCH_ONLY (comma-separated parts of server ids, e.g. "hono,express/bare"), BENCH_SKIP_MICRO=1,
 * BENCH_CHECK_ONLY=1 (start every server and check every scenario's answers, time nothing).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { baselineServers, removeBaselineApps } from './lib/baseline.ts'
import { BUILT_SERVERS, removeBuilds } from './lib/built-apps.ts'
import { renderChart } from './lib/chart.ts'
import { type Cell, type Results, renderMarkdown, withTargets } from './lib/report.ts'
import { check, cookieFor, obtainCookies, pathOf, scenariosOf } from './lib/scenarios.ts'
import { DEMO_SERVERS, FASTAPI_SERVERS, NODE_SERVERS } from './lib/server-list.ts'
import { cpuNanoseconds, freePort, type Running, start, stop } from './lib/servers.ts'
import { cleanRedis, ensurePackages, ensureRedis, machineInfo } from './lib/system.ts'
import { wrk } from './lib/wrk.ts'

const SERVER_CORE = 1
const LOAD_CORE = 0
// Defaults sized for a full run of about 22 minutes (64 servers, 253 server x scenario cells).
const seconds = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 1)))
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const warmup = Math.max(1, Math.round(Number(process.env.BENCH_WARMUP ?? 2)))
// The first scenario of a server's block used to run on a server idle since its previous block (63 other
// servers' turns): in the run of 2026-11-29 that scenario, read, came out at 71-126% of bare on the
// reference rows, which hold no session. A short untimed load first puts every scenario on a warm server.
const blockWarmup = Math.max(0, Math.round(Number(process.env.BENCH_BLOCK_WARMUP ?? 1)))
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean)
const outDir = process.env.BENCH_OUT ?? 'bench/results'
const checkOnly = process.env.BENCH_CHECK_ONLY === '1'

const startedAt = new Date()
ensurePackages()
await ensureRedis()
mkdirSync(outDir, { recursive: true })

/** Runs a micro-benchmark script pinned to the server core and parses what it prints with --json. */
function micro(script: string, nodeFlags: string[] = []): unknown {
  const args = ['-c', String(SERVER_CORE), process.execPath, ...nodeFlags]
  args.push('--conditions=tessera-session-source', '--import', 'tsx', script, '--json')
  return JSON.parse(execFileSync('taskset', args, { encoding: 'utf8', maxBuffer: 1 << 24 }))
}

let format: unknown
let storeScale: unknown
if (process.env.BENCH_SKIP_MICRO !== '1' && !checkOnly) {
  console.log('bench: micro-benchmarks (format vs raw HMAC) on core 1')
  format = micro('bench/micro/format.ts')
  console.log('bench: memory store at 1, 1,000 and 1,000,000 sessions on core 1')
  storeScale = micro('bench/micro/store-scale.ts', ['--expose-gc', '--max-old-space-size=4096'])
}

const SERVERS = [...NODE_SERVERS, ...baselineServers(), ...BUILT_SERVERS, ...DEMO_SERVERS, ...FASTAPI_SERVERS]
const specs = SERVERS.filter((s) => !only || only.some((o) => s.id.includes(o)))
const timedRuns = specs.reduce((n, s) => n + scenariosOf(s).length, 0)
const estimate = timedRuns * rounds * seconds + specs.length * (warmup + 2 + rounds * blockWarmup)
console.log(
  `bench: ${specs.length} servers, ${timedRuns} server x scenario cells; ` +
    (checkOnly
      ? 'checking answers only'
      : `about ${Math.round(estimate / 60)} min of load and starts (${warmup} s warm-up per server, ` +
        `${rounds} x ${seconds} s per cell), plus builds (about 3 min) and micro-benchmarks (about 2 min)`),
)
const running: Running[] = []
const cells: Cell[] = []
process.on('exit', () => {
  for (const r of running) stop(r)
  removeBuilds()
  removeBaselineApps()
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
    port = await freePort(port)
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
    // Warm the JIT on every endpoint at once (the first seconds of a Node server are not its steady
    // state): one wrk run that rotates over the server's scenarios.
    const rotate = scenariosOf(spec).map((scenario) => {
      const cookie = cookieFor(scenario, cookies)
      return { path: pathOf(spec, scenario), cookie: Array.isArray(cookie) ? cookie[0] : cookie }
    })
    await wrk({ url: base, cookie: undefined, rotate, seconds: warmup, connections, core: LOAD_CORE })
    console.log(`bench: ${spec.id} ready on ${server.port}`)
    Object.assign(server, { cookies, rotate })
  }

  for (let round = 1; round <= rounds; round++) {
    for (const server of running) {
      const { cookies, rotate } = server as Running & {
        cookies: Awaited<ReturnType<typeof obtainCookies>>
        rotate: { path: string; cookie: string | undefined }[]
      }
      if (server.process.exitCode !== null || server.process.signalCode !== null)
        throw new Error(
          `${server.spec.id} exited during the run (${server.process.exitCode ?? server.process.signalCode}):\n` +
            server.output.join(''),
        )
      if (blockWarmup > 0) {
        const url = `http://127.0.0.1:${server.port}`
        await wrk({ url, cookie: undefined, rotate, seconds: blockWarmup, connections, core: LOAD_CORE })
      }
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
  removeBaselineApps()
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
  config: {
    seconds,
    rounds,
    warmup,
    warmupRotates: 1,
    blockWarmup,
    connections,
    serverCore: SERVER_CORE,
    loadCore: LOAD_CORE,
  },
  servers: specs,
  cells,
  micro: format,
  storeScale,
}
writeFileSync(`${outDir}/results.json`, `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(`${outDir}/results.md`, renderMarkdown(results))
writeFileSync(`${outDir}/chart.svg`, renderChart(results))
if (existsSync(`${outDir}/README.md`))
  writeFileSync(`${outDir}/README.md`, withTargets(readFileSync(`${outDir}/README.md`, 'utf8'), results))
console.log(`bench: done in ${results.durationSeconds} s; see ${outDir}/results.md and ${outDir}/chart.svg`)
