/**
 * `npm run bench:profile -- <server-id> <scenario> [--seconds N] [--warmup N]`: starts one server of the
 * benchmark as `npm run bench` does (pinned to core 1, wrk on core 0), under `--cpu-prof` (a sample
 * every 100 us), warms it, drives the scenario for N seconds (default 5), stops it with SIGTERM so
 * that the profile is written, and keeps only the samples of the timed window. Writes
 * bench/results/profiles/<server>-<scenario>.svg (flame graph), .md and .json (summary), and the raw
 * .cpuprofile (ignored by git; open it in Chrome DevTools or speedscope).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { baselineServers, removeBaselineApps } from '../lib/baseline.ts'
import { BUILT_SERVERS, removeBuilds } from '../lib/built-apps.ts'
import { check, cookieFor, obtainCookies, pathOf, SCENARIOS, scenariosOf } from '../lib/scenarios.ts'
import { DEMO_SERVERS, NODE_SERVERS } from '../lib/server-list.ts'
import { freePort, type ServerSpec, start, stop } from '../lib/servers.ts'
import { wrk } from '../lib/wrk.ts'
import { profileClock, readStacks } from './cpuprofile.ts'
import { flameSvg, fold } from './flame.ts'
import { summarize, summaryMarkdown } from './summary.ts'

const SERVER_CORE = 1
const LOAD_CORE = 0
const CONNECTIONS = 50
const INTERVAL_US = 100

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/profiles' },
  },
})
const [serverId, scenarioId] = positionals
const all = [...NODE_SERVERS, ...baselineServers(), ...BUILT_SERVERS, ...DEMO_SERVERS]
const spec = all.find((s) => s.id === serverId)
const scenario = SCENARIOS.find((s) => s.id === scenarioId)
if (!spec || !scenario || !scenariosOf(spec).includes(scenario)) {
  console.error('usage: npm run bench:profile -- <server-id> <scenario> [--seconds N] [--warmup N]')
  console.error(
    spec
      ? `${spec.id} runs: ${scenariosOf(spec)
          .map((s) => s.id)
          .join(', ')}`
      : `servers: ${all.map((s) => s.id).join(' ')}`,
  )
  process.exit(2)
}
const seconds = Math.max(1, Number(values.seconds))
const warmup = Math.max(1, Number(values.warmup))

/** The server's command with the profiler's flags after the runtime (node and bun take the same ones). */
function profiled(spec: ServerSpec, dir: string): ServerSpec {
  const [runtime, ...rest] = spec.command as [string, ...string[]]
  const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`]
  return { ...spec, command: [runtime, ...flags, ...rest] }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'))
const name = `${spec.id.replaceAll('/', '-')}-${scenario.id}`
try {
  const appDir = spec.prepare ? await spec.prepare.run() : undefined
  const server = await start(profiled(spec, dir), await freePort(4900), SERVER_CORE, appDir)
  const base = `http://127.0.0.1:${server.port}`
  // The timed window on both clocks: Node's profiles use the monotonic one, Bun's the wall clock.
  let windows: Record<'monotonic' | 'wall', [number, number]>
  let requests: number
  try {
    const cookies = await obtainCookies(spec, base, CONNECTIONS)
    const cookie = cookieFor(scenario, cookies)
    const problem = await check(spec, scenario, base, cookie)
    if (problem) throw new Error(`${spec.id} ${scenario.id} failed its check: ${problem}`)
    const rotate = scenariosOf(spec).map((s) => {
      const c = cookieFor(s, cookies)
      return { path: pathOf(spec, s), cookie: Array.isArray(c) ? c[0] : c }
    })
    await wrk({
      url: base,
      cookie: undefined,
      rotate,
      seconds: warmup,
      connections: CONNECTIONS,
      core: LOAD_CORE,
    })
    const monotonic = () => Number(process.hrtime.bigint() / 1000n)
    const from = { monotonic: monotonic(), wall: Date.now() * 1000 }
    const result = await wrk({
      url: base + pathOf(spec, scenario),
      cookie,
      seconds,
      connections: CONNECTIONS,
      core: LOAD_CORE,
    })
    windows = { monotonic: [from.monotonic, monotonic()], wall: [from.wall, Date.now() * 1000] }
    requests = result.requests
    console.log(
      `profile: ${spec.id} ${scenario.id}: ${Math.round(result.requestsPerSecond)} req/s under the profiler`,
    )
  } finally {
    stop(server)
    await new Promise((resolve) =>
      server.process.exitCode !== null ? resolve(null) : server.process.once('exit', resolve),
    )
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file)
    throw new Error(
      `${spec.id} wrote no profile (did it exit normally on SIGTERM?):\n${server.output.join('')}`,
    )
  const window = windows[profileClock(join(dir, file))]
  const stacks = readStacks(join(dir, file), ...window)
  if (stacks.stacks.length === 0)
    throw new Error('no sample inside the timed window: are the clocks the same?')
  mkdirSync(values.out, { recursive: true })
  const out = join(values.out, name)
  copyFileSync(join(dir, file), `${out}.cpuprofile`)
  writeFileSync(`${out}.svg`, flameSvg(fold(stacks.stacks), `${spec.id} ${scenario.id}`))
  const summary = summarize({ server: spec.id, scenario: scenario.id, seconds, requests, window }, stacks)
  writeFileSync(`${out}.json`, `${JSON.stringify(summary, null, 2)}\n`)
  writeFileSync(`${out}.md`, summaryMarkdown(summary, `${name}.svg`))
  const { tessera, framework, node, gc, program } = summary.self
  console.log(
    `profile: ${out}.{svg,md,json}: of busy samples: tessera ${tessera}% (inclusive ${summary.tesseraInclusive}%), ` +
      `framework ${framework}%, node ${node}%, GC ${gc}%, (program) ${program}%; idle ${summary.idle}% of all; ` +
      `${summary.busyUsPerRequest} us/request`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
  removeBuilds()
  removeBaselineApps()
}
