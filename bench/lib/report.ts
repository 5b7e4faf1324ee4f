/** Turns a run into Markdown: tables per framework, the targets of issue 5 checked, micro-benchmarks. */

import { SCENARIOS, type Scenario } from './scenarios.ts'
import type { ServerSpec } from './servers.ts'
import { renderTargets, targets } from './targets.ts'
import { issue5Targets } from './targets-issue5.ts'
import type { WrkResult } from './wrk.ts'

/** One timed run, with the server's CPU time per request. */
export interface Run extends WrkResult {
  cpuNsPerRequest: number
}

/** One server x scenario. */
export interface Cell {
  server: string
  scenario: Scenario['id']
  /** Why the cell was not timed (the server answered wrongly), else undefined. */
  problem: string | undefined
  runs: Run[]
}

/** A whole run, as saved in results.json. */
export interface Results {
  date: string
  durationSeconds: number
  machine: Record<string, string>
  config: Record<string, number>
  servers: ServerSpec[]
  cells: Cell[]
  micro: unknown
  /** What bench/micro/store-scale.ts printed, when it ran. */
  storeScale?: unknown
}

/** The best run of a cell (highest rate: the least disturbed on a shared machine). */
export function best(cell: Cell | undefined): Run | undefined {
  if (!cell || cell.problem || cell.runs.length === 0) return undefined
  const clean = cell.runs.filter((r) => r.errors === 0)
  return clean.reduce<Run | undefined>(
    (a, r) => (a && a.requestsPerSecond >= r.requestsPerSecond ? a : r),
    undefined,
  )
}

/** Median of a cell's CPU time per request, nanoseconds. */
export function medianCpu(cell: Cell | undefined): number | undefined {
  const values = (cell?.runs ?? []).map((r) => r.cpuNsPerRequest).sort((a, b) => a - b)
  return values.length ? (values[Math.floor(values.length / 2)] as number) : undefined
}

/** Lookups over a run. */
export class View {
  constructor(readonly results: Results) {}
  cell(server: string, scenario: string): Cell | undefined {
    return this.results.cells.find((c) => c.server === server && c.scenario === scenario)
  }
  run(server: string, scenario: string): Run | undefined {
    return best(this.cell(server, scenario))
  }
  rps(server: string, scenario: string): number | undefined {
    return this.run(server, scenario)?.requestsPerSecond
  }
  bareOf(spec: ServerSpec): ServerSpec | undefined {
    return this.results.servers.find((s) => s.framework === spec.framework && s.kind === 'bare')
  }
  /** Rate relative to the bare framework on the same scenario (or the one it is compared with). */
  ratio(spec: ServerSpec, scenario: string): number | undefined {
    const bare = this.bareOf(spec)
    const mine = this.rps(spec.id, scenario)
    const base = bare && this.rps(bare.id, SCENARIOS.find((s) => s.id === scenario)?.bareAs ?? scenario)
    return mine !== undefined && base ? mine / base : undefined
  }
  /** Rate of one server over another's, each on its scenario. */
  versus(server: string, scenario: string, other: string, otherScenario = scenario): number | undefined {
    const mine = this.rps(server, scenario)
    const theirs = this.rps(other, otherScenario)
    return mine !== undefined && theirs ? mine / theirs : undefined
  }
  frameworks(): string[] {
    return [...new Set(this.results.servers.map((s) => s.framework))]
  }
}

/** A ratio as a percentage. */
export const pct = (r: number | undefined) => (r === undefined ? 'n/a' : `${Math.round(r * 100)}%`)
const num = (n: number) => Math.round(n).toLocaleString('en-US')

/** The Markdown report. */
export function renderMarkdown(results: Results): string {
  const v = new View(results)
  const c = results.config
  const lines: string[] = []
  lines.push('# Benchmark results', '')
  lines.push(
    `Run on ${results.date.replace('T', ' ').slice(0, 16)} UTC, ${results.durationSeconds} s in all. ` +
      `Server pinned to core ${c.serverCore}, wrk (1 thread, ${c.connections} connections) pinned to core ${c.loadCore}, ` +
      `loopback only. Each server got ${c.warmup} s of warm-up load ${c.warmupRotates ? 'rotating over its endpoints' : 'per endpoint'}, then ${c.rounds} rounds of ${c.seconds} s per scenario, ` +
      (c.blockWarmup
        ? `each round's scenarios of a server after ${c.blockWarmup} s more of the same untimed load, `
        : '') +
      'rounds interleaved across servers; the best round is shown (a shared machine only ever slows a run down). ' +
      '"% bare" is the rate relative to the same framework without any session, on the same endpoint. ' +
      '"CPU" is the server process CPU time per request (median of the rounds, from /proc), which noise on the ' +
      'machine affects much less than the rate.',
    '',
  )
  lines.push('![req/s relative to the bare framework](chart.svg)', '')
  lines.push('Machine:', '')
  for (const [k, value] of Object.entries(results.machine)) lines.push(`- ${k}: ${value}`)
  lines.push('', 'Scenarios:', '')
  for (const s of SCENARIOS) lines.push(`- **${s.id}** (\`GET ${s.path}\`): ${s.description}`)
  lines.push(
    '',
    'A cell shows "—" where the server does not run that scenario (the references run read and untouched, ' +
      'which their targets compare; the demo only `/read_session`).',
  )
  lines.push('')

  for (const framework of v.frameworks()) {
    const specs = results.servers.filter((s) => s.framework === framework)
    const ran = new Set(
      results.cells.filter((c) => specs.some((s) => s.id === c.server)).map((c) => c.scenario),
    )
    const columns = SCENARIOS.filter((s) => ran.has(s.id))
    lines.push(`## ${framework}`, '')
    lines.push(`| library | storage | ${columns.map((s) => s.id).join(' | ')} |`)
    lines.push(`|---|---|${columns.map(() => '---:').join('|')}|`)
    for (const spec of specs) {
      const name = spec.kind === 'tessera' ? `**${spec.library}**` : spec.library
      const cells = columns.map((s) => {
        const cell = v.cell(spec.id, s.id)
        if (!cell) return '—'
        if (cell.problem) return `failed check: ${cell.problem}`
        const run = best(cell)
        if (!run) return 'n/a'
        const cpu = medianCpu(cell)
        const ratio = spec.kind === 'bare' ? '' : ` (${pct(v.ratio(spec, s.id))})`
        return `${num(run.requestsPerSecond)}${ratio}<br>p99 ${run.p99Ms.toFixed(1)} ms<br>CPU ${cpu === undefined ? '?' : (cpu / 1000).toFixed(1)} us`
      })
      lines.push(`| ${name} | ${spec.storage} | ${cells.join(' | ')} |`)
    }
    const notes = specs.filter((s) => s.note)
    if (notes.length) lines.push('', ...notes.map((s) => `- ${s.library}: ${s.note}`))
    lines.push('')
  }

  lines.push('## Targets (issues 13 and 14)', '', renderTargets(targets(v)), '')
  lines.push('## Earlier targets (issue 5)', '', renderTargets(issue5Targets(v), false), '')
  if (results.micro) lines.push(renderMicro(results.micro as MicroResults), '')
  if (results.storeScale) lines.push(renderScale(results.storeScale as ScaleResults), '')
  return `${lines.join('\n')}\n`
}

const BEGIN = '<!-- targets:begin (written by npm run bench from results.json; edits here are lost) -->'
const END = '<!-- targets:end -->'

/**
 * The README's table of targets, between its markers, computed from `results`; the text around it
 * (the reasons for each miss) stays the authors'. A README without the markers is left as it is.
 */
export function withTargets(readme: string, results: Results): string {
  const begin = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (begin < 0 || end < begin) return readme
  const date = results.date.replace('T', ' ').slice(0, 16)
  const table = renderTargets(targets(new View(results)))
  return `${readme.slice(0, begin + BEGIN.length)}\nFrom the run of ${date} UTC:\n\n${table}\n${readme.slice(end)}`
}

/** What bench/micro/format.ts prints with --json. */
export interface MicroResults {
  rows: { operation: string; input: string; nsPerOp: number; floorNsPerOp: number }[]
}

/** The micro-benchmark table. */
export function renderMicro(micro: MicroResults): string {
  const lines = ['## Micro-benchmarks: Starlette format vs the raw node:crypto HMAC on the same bytes', '']
  lines.push(
    '| operation | input | ns/op | raw HMAC ns/op | ratio | within 1.5x |',
    '|---|---|---:|---:|---:|---|',
  )
  for (const r of micro.rows) {
    const ratio = r.nsPerOp / r.floorNsPerOp
    lines.push(
      `| ${r.operation} | ${r.input} | ${num(r.nsPerOp)} | ${num(r.floorNsPerOp)} | ${ratio.toFixed(2)}x | ${ratio <= 1.5 ? 'yes' : '**no**'} |`,
    )
  }
  return lines.join('\n')
}

/** What bench/micro/store-scale.ts prints with --json. */
export interface ScaleResults {
  rows: {
    sessions: number
    bytesPerSession: number
    readNs: number
    writeNs: number
    readCpuNs?: number
    writeCpuNs?: number
  }[]
  rounds?: number
}

/** The memory store at 1 to 1,000,000 sessions. */
export function renderScale(scale: ScaleResults): string {
  const lines = ['## Memory store: cost per request from 1 to 1,000,000 stored sessions', '']
  lines.push(
    "In-process, no HTTP, each size in a process of its own: one request's session work (open the " +
      'cookie, load from the store, read a value, commit; for write also change a value and store it), ' +
      `${scale.rounds ?? 5} rounds of 30,000 requests spread over min(size, 1,000) of the stored sessions, ` +
      'the sizes taking turns round after round; the fastest round of each is shown, in wall-clock and ' +
      'in CPU time. Heap per session measured after a full GC.',
    '',
  )
  lines.push(
    '| sessions stored | heap per session | read | write | read, CPU | write, CPU |',
    '|---:|---:|---:|---:|---:|---:|',
  )
  const ns = (n: number | undefined) => (n === undefined ? 'n/a' : `${num(n)} ns`)
  for (const r of scale.rows) {
    lines.push(
      `| ${num(r.sessions)} | ${r.sessions < 1000 ? 'n/a (too few to measure)' : `${num(r.bytesPerSession)} B`} | ${ns(r.readNs)} | ${ns(r.writeNs)} | ${ns(r.readCpuNs)} | ${ns(r.writeCpuNs)} |`,
    )
  }
  for (const [from, to] of scaleSteps(scale)) {
    lines.push(
      '',
      `From ${num(from.sessions)} to ${num(to.sessions)} sessions: read ${(to.readNs / from.readNs).toFixed(2)}x, ` +
        `write ${(to.writeNs / from.writeNs).toFixed(2)}x (wall-clock).`,
    )
  }
  return lines.join('\n')
}

/** The ratios worth showing: first to last size, and 1,000 to last (the same 1,000 active sessions). */
export function scaleSteps(
  scale: ScaleResults,
): [ScaleResults['rows'][number], ScaleResults['rows'][number]][] {
  const first = scale.rows[0]
  const last = scale.rows.at(-1)
  const thousand = scale.rows.find((r) => r.sessions === 1000)
  const steps: [ScaleResults['rows'][number], ScaleResults['rows'][number]][] = []
  if (first && last && first !== last) steps.push([first, last])
  if (thousand && last && thousand !== first && thousand !== last) steps.push([thousand, last])
  return steps
}
