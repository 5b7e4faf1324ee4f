/**
 * `npm run bench:instructions`: instructions per request of tessera's hot path on Hono, counted by
 * valgrind (callgrind), which repeats within a fraction of a percent where wall-clock timings on this
 * machine swing 2x. For an A/B of two checkouts (before and after a refactor), not for absolute speed.
 *
 * For each scenario of bench/callgrind/scenarios.ts, `node --single-threaded` runs the loop of
 * bench/callgrind/app.ts (bundled once per checkout, so no TypeScript is compiled under valgrind)
 * under `valgrind --tool=callgrind`, and the instructions of requests low+1..high are divided by
 * high - low. Two ways to isolate those requests (`--method`):
 * - `marks` (default): one run; the loop calls a marker function after request `low` and after
 *   request `high`, and callgrind (`--dump-before=<marker>`) dumps its counters at each call, so the
 *   part between the two dumps holds exactly those requests;
 * - `subtract`: two runs, serving `low` and `high` requests; (I(high) - I(low)) / (high - low), the
 *   start-up and exit of the process cancelling. Twice the valgrind time, the same numbers within a
 *   fraction of a percent (it also counts the larger heap's exit costs).
 *
 * Usage (from the repository root; every option is optional):
 *   npm run bench:instructions -- [--repo <checkout>]... [--compare <results.json>] [--out <file.json>]
 *     [--markdown <file.md>] [--only <id,id>] [--repeat 2] [--jobs 2] [--low 2000] [--high 3000]
 *     [--method marks|subtract]
 *
 * - `--repo` (repeatable): the checkouts to measure, each a column (default: this one). The loop
 *   script is always this checkout's, its `tessera-session` imports resolve to that checkout's
 *   sources (`tessera-session-source` condition of its package.json), and hono comes from this
 *   checkout's node_modules, so only tessera's code differs between columns. With two or more, the
 *   later columns are compared with the first.
 * - `--compare <file>`: a JSON written by an earlier run (`--out`): its first column becomes the
 *   reference the measured columns are compared with.
 * - `--out` (default bench/results/instructions.json): the JSON of this run (every column measured).
 * - `--markdown <file>`: also writes the results as a markdown table, with the command and versions.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build, type Plugin } from 'esbuild'
import { BARE, SCENARIOS, type Scenario, VARY } from './scenarios.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const OWN_REPO = resolve(HERE, '../..')
/** The loop calls `os.getPriority()` at each checkpoint; callgrind dumps its counters on entry. */
const MARKER = 'uv_os_getpriority'
/**
 * Node's flags: one thread (V8's compiler and GC tasks run on the main thread, in a fixed order), and
 * fixed seeds for V8's hash tables and Math.random, so that two runs execute the same instructions.
 */
const NODE_FLAGS = ['--single-threaded', '--hash-seed=1', '--random-seed=1', '--expose-gc']

/** One measured scenario in one checkout. */
export interface Measured {
  /** Mean over the repetitions of instructions per request. */
  perRequest: number
  /** (max - min) / mean of the repetitions, as a fraction. */
  spread: number
  /** Instructions per request, one per repetition. */
  samples: number[]
  /** The raw counts of each repetition: [window] (marks) or [I(low), I(high)] (subtract). */
  raw: number[][]
}

/** One column: a checkout and its results. */
export interface Column {
  repo: string
  commit: string
  branch: string
  /** Uncommitted changes in the checkout when it was measured (`git status --porcelain`). */
  dirty: boolean
  /** sha256 of the bundled loop: equal bundles mean equal code. */
  bundle: string
  results: Record<string, Measured>
}

/** What `--out` writes and `--compare` reads. */
export interface ResultsFile {
  tool: 'tessera bench/callgrind'
  date: string
  command: string
  node: string
  valgrind: string
  hono: string
  method: Method
  low: number
  high: number
  repeat: number
  seconds: number
  columns: Column[]
}

type Method = 'marks' | 'subtract'

const { values: args } = parseArgs({
  options: {
    repo: { type: 'string', multiple: true },
    compare: { type: 'string' },
    out: { type: 'string', default: 'bench/results/instructions.json' },
    markdown: { type: 'string' },
    only: { type: 'string' },
    repeat: { type: 'string', default: '2' },
    jobs: { type: 'string', default: String(Math.min(2, cpus().length)) },
    low: { type: 'string', default: '2000' },
    high: { type: 'string', default: '3000' },
    method: { type: 'string', default: 'marks' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (args.help) {
  const doc = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  console.log(doc.slice(doc.indexOf('/**') + 4, doc.indexOf('*/')).replace(/^ \* ?/gm, ''))
  process.exit(0)
}

const low = Number(args.low)
const high = Number(args.high)
const repeat = Number(args.repeat)
const jobs = Number(args.jobs)
const method = args.method as Method
if (!(Number.isInteger(low) && low > 0 && Number.isInteger(high) && high > low))
  fail('--low and --high: whole numbers, 0 < low < high')
if (!(Number.isInteger(repeat) && repeat > 0)) fail('--repeat: a whole number above 0')
if (!(Number.isInteger(jobs) && jobs > 0)) fail('--jobs: a whole number above 0')
if (method !== 'marks' && method !== 'subtract') fail('--method: marks or subtract')
const wanted = args.only?.split(',').map((s) => s.trim())
const scenarios = SCENARIOS.filter((s) => wanted === undefined || wanted.includes(s.id))
const unknown = wanted?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? []
if (unknown.length > 0) fail(`--only: unknown scenario ${unknown.join(', ')} (${SCENARIOS.map((s) => s.id)})`)
const repos = (args.repo ?? [OWN_REPO]).map((r) => resolve(r))
for (const repo of repos) {
  if (!existsSync(join(repo, 'package.json'))) fail(`--repo ${repo}: no package.json`)
}
const reference = args.compare === undefined ? undefined : readResults(args.compare)

function fail(message: string): never {
  console.error(`bench:instructions: ${message}`)
  process.exit(2)
}

function readResults(file: string): ResultsFile {
  const results = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile
  if (results.tool !== 'tessera bench/callgrind')
    fail(`--compare ${file}: not a bench:instructions results file`)
  if (results.low !== low || results.high !== high || results.method !== method) {
    console.error(
      `warning: ${file} counted requests ${results.low + 1}..${results.high} (${results.method}), this run ` +
        `${low + 1}..${high} (${method}): the numbers are not comparable`,
    )
  }
  return results
}

function capture(command: string, argv: string[], cwd?: string): string {
  try {
    return execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch {
    return ''
  }
}

/** Bundles the loop with `repo`'s tessera sources; returns the file and its hash. */
async function bundle(repo: string, dir: string, index: number): Promise<{ file: string; hash: string }> {
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, string>>
  }
  const fromRepo: Plugin = {
    name: 'tessera-session-from-repo',
    setup(b) {
      b.onResolve({ filter: /^tessera-session(\/|$)/ }, (a) => {
        const subpath = `.${a.path.slice('tessera-session'.length)}`
        const entry = manifest.exports[subpath]
        const target =
          typeof entry === 'string' ? entry : (entry?.['tessera-session-source'] ?? entry?.default)
        if (target === undefined) return { errors: [{ text: `${repo}: no export ${subpath}` }] }
        return { path: resolve(repo, target) }
      })
    },
  }
  const file = join(dir, `app-${index}.mjs`)
  await build({
    entryPoints: [join(HERE, 'app.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: file,
    conditions: ['tessera-session-source'],
    plugins: [fromRepo],
    logLevel: 'warning',
  })
  return { file, hash: createHash('sha256').update(readFileSync(file)).digest('hex') }
}

/** Runs the loop under callgrind; resolves to the `summary:` count of each part of the profile. */
function callgrind(
  script: string,
  scenario: string,
  checkpoints: number[],
  marks: boolean,
): Promise<number[]> {
  const out = join(work, `cg-${++runs}.out`)
  const valgrind = [
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${out}`,
    ...(marks ? [`--dump-before=${MARKER}`] : []),
    process.execPath,
    ...NODE_FLAGS,
    script,
    scenario,
    String(pool),
    ...checkpoints.map(String),
  ]
  // ASLR off, when the machine allows it: one less thing that differs between runs.
  const [command, ...argv] = noAslr ? ['setarch', '-R', ...valgrind] : valgrind
  // A fixed environment: Node's start-up reads it, and NODE_OPTIONS could load a loader (tsx).
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), LANG: 'C', TZ: 'UTC' }
  return new Promise((done, reject) => {
    const child = spawn(command as string, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d
    })
    child.on('close', (code) => {
      try {
        if (code !== 0 || !output.includes('"ok":true'))
          throw new Error(`exit code ${code}\n${output.split('\n').slice(-30).join('\n')}`)
        // Parts: out.1 ... out.k (one per checkpoint), out.k+1 (a collection alone), then out (the
        // rest, up to the exit).
        const dumps = checkpoints.length + 1
        const files = marks ? [...Array.from({ length: dumps }, (_, i) => `${out}.${i + 1}`), out] : [out]
        const counts = files.map((f) => {
          const text = readFileSync(f, 'utf8')
          if (marks && f !== out && !text.includes(`Trigger: --dump-before=${MARKER}`))
            throw new Error(`${f}: not a dump at the marker`)
          const line = /^(?:summary|totals): (\d+)/m.exec(text)
          if (line === null) throw new Error(`${f}: no summary line`)
          return Number(line[1])
        })
        if (marks && existsSync(`${out}.${dumps + 1}`))
          throw new Error(`more dumps than marks: something else called ${MARKER}`)
        for (const f of files) rmSync(f, { force: true })
        done(counts)
      } catch (error) {
        reject(new Error(`${scenario}: ${(error as Error).message}`))
      }
    })
  })
}

/** One repetition of one scenario in one checkout: instructions per request, and the raw counts. */
async function measure(script: string, scenario: string): Promise<{ perRequest: number; raw: number[] }> {
  if (method === 'marks') {
    // Parts: start-up and requests 1..low; requests low+1..high; a collection alone; the exit.
    // Each of the first three ends with a full collection; the third's count is taken off the second.
    const [, window, collection] = (await callgrind(script, scenario, [low, high], true)) as number[]
    return {
      perRequest: ((window as number) - (collection as number)) / (high - low),
      raw: [window as number, collection as number],
    }
  }
  const [atLow, atHigh] = await Promise.all([
    callgrind(script, scenario, [low], false),
    callgrind(script, scenario, [high], false),
  ])
  const a = atLow[0] as number
  const b = atHigh[0] as number
  return { perRequest: (b - a) / (high - low), raw: [a, b] }
}

/** Runs `tasks` with at most `limit` at a time. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await (tasks[i] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

// ---------------------------------------------------------------------------------------------------

const started = Date.now()
const work = mkdtempSync(join(tmpdir(), 'tessera-callgrind-'))
let runs = 0
const pool = high
const noAslr = spawnOk('setarch', ['-R', 'true'])
const valgrindVersion = capture('valgrind', ['--version'])
if (valgrindVersion === '') fail('valgrind not found (apt-get install valgrind)')

function spawnOk(command: string, argv: string[]): boolean {
  try {
    execFileSync(command, argv, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const honoVersion = (() => {
  try {
    return (
      JSON.parse(readFileSync(join(OWN_REPO, 'node_modules/hono/package.json'), 'utf8')) as {
        version: string
      }
    ).version
  } catch {
    return 'unknown'
  }
})()

// A repetition of the subtract method is two valgrind runs at once.
const effectiveJobs = method === 'subtract' ? Math.max(1, Math.floor(jobs / 2)) : jobs
console.error(
  `bench:instructions: ${scenarios.length} scenarios x ${repos.length} checkout(s) x ${repeat} repetition(s), ` +
    `requests ${low + 1}..${high} (${method}), ${jobs} valgrind process(es) at a time; ` +
    `${noAslr ? 'ASLR off' : 'ASLR on (setarch -R unavailable)'}`,
)

const columns: Column[] = []
const tasks: (() => Promise<void>)[] = []
let finished = 0
let total = 0
for (const [index, repo] of repos.entries()) {
  const { file, hash } = await bundle(repo, work, index)
  const column: Column = {
    repo,
    commit: capture('git', ['rev-parse', 'HEAD'], repo),
    branch: capture('git', ['rev-parse', '--abbrev-ref', 'HEAD'], repo),
    dirty: capture('git', ['status', '--porcelain', '--untracked-files=no'], repo) !== '',
    bundle: hash,
    results: {},
  }
  columns.push(column)
  const samples = new Map<string, { perRequest: number; raw: number[] }[]>()
  for (let r = 0; r < repeat; r++) {
    for (const scenario of scenarios) {
      total++
      tasks.push(async () => {
        const t0 = Date.now()
        const sample = await measure(file, scenario.id)
        const list = samples.get(scenario.id) ?? []
        list.push(sample)
        samples.set(scenario.id, list)
        if (list.length === repeat) column.results[scenario.id] = summarize(list)
        console.error(
          `[${++finished}/${total}] ${label(scenario).padEnd(20)} ${relative(OWN_REPO, repo) || '.'}: ` +
            `${fmt(sample.perRequest)} instr/req (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        )
      })
    }
  }
}
try {
  await inParallel(tasks, effectiveJobs)
} finally {
  rmSync(work, { recursive: true, force: true })
}

function summarize(list: { perRequest: number; raw: number[] }[]): Measured {
  const values = list.map((s) => s.perRequest)
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return {
    perRequest: mean,
    spread: (Math.max(...values) - Math.min(...values)) / mean,
    samples: values,
    raw: list.map((s) => s.raw),
  }
}

const results: ResultsFile = {
  tool: 'tessera bench/callgrind',
  date: new Date().toISOString(),
  command: `npm run bench:instructions --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  node: process.version,
  valgrind: valgrindVersion,
  hono: honoVersion,
  method,
  low,
  high,
  repeat,
  seconds: Math.round((Date.now() - started) / 1000),
  columns,
}
mkdirSync(dirname(resolve(args.out)), { recursive: true })
writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)

const shown = reference === undefined ? columns : [reference.columns[0] as Column, ...columns]
const names = [
  ...(reference === undefined ? [] : [`${args.compare}`]),
  ...columns.map((c) => relative(OWN_REPO, c.repo) || '.'),
]
const table = render(shown, names)
console.log(table.text)
console.log(`\n${results.seconds} s; results in ${args.out}`)
if (args.markdown !== undefined) {
  writeFileSync(args.markdown, markdown(results, table.markdown, names, shown))
  console.log(`markdown in ${args.markdown}`)
}

// ---------------------------------------------------------------------------------------------------

function label(s: Scenario): string {
  return `(${s.tag}) ${s.id}`
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`
}

function change(before: number, after: number): string {
  const d = (after - before) / before
  return `${d >= 0 ? '+' : ''}${(d * 100).toFixed(2)}%`
}

function ratio(column: Column, id: string, to: string): string {
  const base = column.results[to]?.perRequest
  const value = column.results[id]?.perRequest
  return base === undefined || value === undefined ? '' : `${(value / base).toFixed(2)}x`
}

function aboveBare(column: Column, id: string): number | undefined {
  const base = column.results[BARE]?.perRequest
  const value = column.results[id]?.perRequest
  return base === undefined || value === undefined || id === 'hmac' ? undefined : value - base
}

/** The results as a text table and a markdown table: one column, or the first against the others. */
function render(cols: Column[], colNames: string[]): { text: string; markdown: string } {
  const rows: string[][] = []
  let header: string[]
  if (cols.length === 1) {
    const c = cols[0] as Column
    header = ['scenario', 'instructions/request', 'x bare (a)', 'x vary (c)', 'above bare', 'spread']
    for (const s of SCENARIOS) {
      const m = c.results[s.id]
      if (m === undefined) continue
      const above = aboveBare(c, s.id)
      rows.push([
        `(${s.tag}) ${s.description}`,
        fmt(m.perRequest),
        ratio(c, s.id, BARE),
        ratio(c, s.id, VARY),
        above === undefined ? '' : fmt(above),
        pct(m.spread),
      ])
    }
  } else {
    const ref = cols[0] as Column
    header = ['scenario']
    colNames.forEach((name, i) => {
      header.push(i === 0 ? `${name} instr/req` : `${name} instr/req`, ...(i === 0 ? [] : ['change']))
    })
    colNames.forEach((name, i) => {
      header.push(`${name} above bare`, ...(i === 0 ? [] : ['change']))
    })
    header.push('spreads')
    for (const s of SCENARIOS) {
      const r = ref.results[s.id]
      if (r === undefined || cols.slice(1).every((c) => c.results[s.id] === undefined)) continue
      const row = [`(${s.tag}) ${s.description}`, fmt(r.perRequest)]
      for (const c of cols.slice(1)) {
        const m = c.results[s.id]
        row.push(
          m === undefined ? '' : fmt(m.perRequest),
          m === undefined ? '' : change(r.perRequest, m.perRequest),
        )
      }
      const refAbove = aboveBare(ref, s.id)
      row.push(refAbove === undefined ? '' : fmt(refAbove))
      for (const c of cols.slice(1)) {
        const above = aboveBare(c, s.id)
        row.push(
          above === undefined ? '' : fmt(above),
          above === undefined || refAbove === undefined ? '' : change(refAbove, above),
        )
      }
      row.push(
        cols
          .map((c) => {
            const m = c.results[s.id]
            return m === undefined ? '-' : pct(m.spread)
          })
          .join(' / '),
      )
      rows.push(row)
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
  const text = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
  const md = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
  return { text, markdown: md }
}

function markdown(r: ResultsFile, tableMd: string, colNames: string[], cols: Column[]): string {
  const checkouts = cols
    .map(
      (c, i) =>
        `- \`${colNames[i]}\`: ${c.repo}, branch \`${c.branch}\`, commit \`${c.commit}\`${c.dirty ? ' (with uncommitted changes)' : ''}`,
    )
    .join('\n')
  return `# Instructions per request (valgrind)

Generated by \`${r.command}\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.seconds} s.
Node ${r.node}, ${r.valgrind}, hono ${r.hono}; requests ${r.low + 1}..${r.high} of each run
(method \`${r.method}\`), ${r.repeat} run(s) per scenario.

${checkouts}

${tableMd}
`
}
