/**
 * `npm run bench:instructions`: instructions per request of tessera's hot path on Hono, counted by
 * valgrind (callgrind), which repeats within a fraction of a percent where wall-clock timings on this
 * machine swing 2x. Made for an A/B of two checkouts (before and after a refactor), not for speed.
 *
 * For each scenario of bench/callgrind/scenarios.ts, `node --single-threaded` runs the loop of
 * bench/callgrind/app.ts (bundled once per checkout: no TypeScript is compiled under valgrind) under
 * `valgrind --tool=callgrind`, and the instructions of requests low+1..high are divided by high - low.
 * The first `low` requests are the warm-up: until about request 4000, V8 is still compiling the
 * request path, and a window of requests 200..1200 counts mostly compilation (3 to 5 times the
 * steady-state count). Each window is split, from callgrind's inclusive costs, into garbage
 * collection (`Heap::CollectGarbage`), JIT compilation and deoptimization (V8's compile runtime
 * functions), and the rest, the "hot path": what the request's code itself executes, which repeats
 * window after window within 0.1-0.3%, where the total moves by a few percent with whether one more
 * scavenge falls in the window.
 *
 * Two ways to isolate requests low+1..high (`--method`):
 * - `marks` (default): one run; the loop calls a marker function after requests low, mid and high
 *   (mid halfway), callgrind (`--dump-before=<marker>`) dumps its counters at each call, and the two
 *   parts between the dumps hold exactly those requests. The two halves give the drift: how much the
 *   hot path still moves inside the window (JIT still at work, a late deoptimization).
 * - `subtract`: two runs, serving `low` and `high` requests; (I(high) - I(low)) / (high - low), the
 *   process start-up and exit cancelling. Twice the valgrind time; no drift.
 *
 * Usage (from the repository root; every option is optional):
 *   npm run bench:instructions -- [--repo <checkout>]... [--compare <results.json>] [--out <file.json>]
 *     [--markdown <file.md>] [--only <id,id>] [--repeat 2] [--jobs 2] [--low 3000] [--high 5000]
 *     [--method marks|subtract] [--keep <dir>]
 *
 * - `--repo` (repeatable): the checkouts to measure, each a column (default: this one). The loop
 *   script is always this checkout's; its `tessera-session` imports resolve to that checkout's
 *   sources (the `tessera-session-source` condition of its package.json), and hono comes from this
 *   checkout's node_modules, so only tessera's code differs between columns. With two or more, the
 *   later columns are compared with the first.
 * - `--compare <file>`: a JSON written by an earlier run (`--out`): its first column is the reference
 *   the measured columns are compared with.
 * - `--out` (default bench/results/instructions.json): the JSON of this run (every column measured).
 * - `--markdown <file>`: also writes the results as markdown (tables, command, versions, commits).
 * - `--repeat`: runs per scenario; their spread (max - min) / mean shows the repeatability.
 * - `--jobs`: valgrind processes at a time (default 2: one per core of the bench machine).
 * - `--keep <dir>`: keeps each run's profile of the window (`<dir>/<checkout>-<scenario>-<run>.out`,
 *   the two halves merged by callgrind_annotate), for `callgrind_annotate --inclusive=yes` per function.
 * - To compare with an older checkout, pass it as the first `--repo` (the loop is this checkout's, so
 *   the older one needs only the adapters and stores the chosen scenarios import), or measure it once
 *   with `--out` and pass that file to `--compare` later.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { build, type Plugin } from 'esbuild'
import { BARE, SCENARIOS, type Scenario, VARY } from './scenarios.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const OWN_REPO = resolve(HERE, '../..')
/** The loop calls `os.getPriority()` at each checkpoint; callgrind dumps its counters on entry. */
const MARKER = 'uv_os_getpriority'
/**
 * Node's flags. One thread: V8's compiler and garbage collector run on the main thread, in an order
 * fixed by the program. Fixed seeds for V8's hash tables and Math.random. A fixed 1 MB young
 * generation, so that scavenges come at a steady pace (V8 otherwise grows it as it sees fit), and a
 * 256 MB initial old generation, so that no full collection (tens of millions of instructions, once
 * every few thousand requests) falls in a window.
 */
const NODE_FLAGS = [
  '--single-threaded',
  '--hash-seed=1',
  '--random-seed=1',
  '--min-semi-space-size=1',
  '--max-semi-space-size=1',
  '--initial-old-space-size=256',
  // V8 tiers a function up after this much bytecode budget instead of the default 132 KB: the request
  // path reaches its optimized code within the first few hundred requests, so the window
  // (requests 3001..5000) counts steady-state code, not compilation.
  '--interrupt-budget=8192',
]
/** Inclusive cost of these functions is garbage collection. */
const GC_FUNCTIONS = /^v8::internal::Heap::CollectGarbage\(/
/** Inclusive cost of these is JIT compilation, tiering decisions and deoptimization. */
const JIT_FUNCTIONS =
  /^v8::internal::Runtime_(CompileOptimized|CompileLazy|CompileBaseline|InstallBaselineCode|NotifyDeoptimized|BytecodeBudgetInterrupt\w*)\(/

/** Instructions per request, split by where they went. */
export interface Split {
  /** Everything the process executed during the requests. */
  all: number
  /** Garbage collection. */
  gc: number
  /** JIT compilation and deoptimization. */
  jit: number
  /** `all - gc - jit`: the request's own code (and the builtins and runtime it calls). */
  hot: number
}

/** One scenario in one checkout, over the repetitions. */
export interface Measured extends Split {
  /** (max - min) / mean of the repetitions' hot path, as a fraction. */
  spread: number
  /** (max - min) / mean of the repetitions' totals. */
  spreadAll: number
  /** The largest difference between the two halves of a window, hot path, as a fraction (marks). */
  drift: number | null
  /** Each repetition's numbers. */
  samples: Split[]
}

/** One column: a checkout and its results. */
export interface Column {
  repo: string
  commit: string
  branch: string
  /** Uncommitted changes to tracked files when it was measured. */
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
  nodeFlags: string[]
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

/** Raw counts of one profile (or one part of it). */
interface Counts {
  all: number
  gc: number
  jit: number
}

const { values: args } = parseArgs({
  options: {
    repo: { type: 'string', multiple: true },
    compare: { type: 'string' },
    out: { type: 'string', default: 'bench/results/instructions.json' },
    markdown: { type: 'string' },
    only: { type: 'string' },
    repeat: { type: 'string', default: '2' },
    jobs: { type: 'string', default: String(Math.min(2, cpus().length)) },
    low: { type: 'string', default: '3000' },
    high: { type: 'string', default: '5000' },
    keep: { type: 'string' },
    method: { type: 'string', default: 'marks' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (args.help) {
  const doc = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  console.log(doc.slice(doc.indexOf('/**') + 4, doc.indexOf('*/')).replace(/^ \* ?/gm, ''))
  process.exit(0)
}

function fail(message: string): never {
  console.error(`bench:instructions: ${message}`)
  process.exit(2)
}

const low = Number(args.low)
const high = Number(args.high)
const repeat = Number(args.repeat)
const jobs = Number(args.jobs)
const method = args.method as Method
if (!(Number.isInteger(low) && low > 0 && Number.isInteger(high) && high > low + 1))
  fail('--low and --high: whole numbers, 0 < low < high - 1')
if (!(Number.isInteger(repeat) && repeat > 0)) fail('--repeat: a whole number above 0')
if (!(Number.isInteger(jobs) && jobs > 0)) fail('--jobs: a whole number above 0')
if (method !== 'marks' && method !== 'subtract') fail('--method: marks or subtract')
const mid = Math.floor((low + high) / 2)
const wanted = args.only?.split(',').map((s) => s.trim())
const unknown = wanted?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? []
if (unknown.length > 0)
  fail(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.id).join(', ')})`)
const scenarios = SCENARIOS.filter((s) => wanted === undefined || wanted.includes(s.id))
const repos = (args.repo ?? [OWN_REPO]).map((r) => resolve(r))
for (const repo of repos) if (!existsSync(join(repo, 'package.json'))) fail(`--repo ${repo}: no package.json`)
const reference = args.compare === undefined ? undefined : readResults(args.compare)
const valgrindVersion = capture('valgrind', ['--version'])
if (valgrindVersion === '') fail('valgrind not found (apt-get install valgrind)')
if (!succeeds('sh', ['-c', 'command -v callgrind_annotate']))
  fail('callgrind_annotate not found (it comes with valgrind)')

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
  if (results.node !== process.version)
    console.error(`warning: ${file} was measured with Node ${results.node}, this run with ${process.version}`)
  return results
}

/** A command's output, or '' when it fails. */
function capture(command: string, argv: string[], cwd?: string): string {
  try {
    return execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch {
    return ''
  }
}

function succeeds(command: string, argv: string[]): boolean {
  try {
    execFileSync(command, argv, { stdio: 'ignore' })
    return true
  } catch {
    return false
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
        if (target === undefined) return { errors: [{ text: `${repo}: package.json exports no ${subpath}` }] }
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
    // Express (CommonJS) requires Node built-ins at run time: give the ESM bundle a `require`.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  })
  return { file, hash: createHash('sha256').update(readFileSync(file)).digest('hex') }
}

const execFileAsync = promisify(execFile)

/** Total, GC and JIT instructions of one callgrind profile, from its inclusive costs. */
async function analyze(file: string): Promise<Counts> {
  const { stdout } = await execFileAsync(
    'callgrind_annotate',
    ['--inclusive=yes', '--threshold=100', '--auto=no', file],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  )
  const counts: Counts = { all: Number.NaN, gc: 0, jit: 0 }
  for (const line of stdout.split('\n')) {
    const m = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line)
    if (m === null) continue
    const cost = Number((m[1] as string).replaceAll(',', ''))
    const where = m[2] as string
    if (where === 'PROGRAM TOTALS') {
      counts.all = cost
      continue
    }
    // "file:function [object]"; a recursive activation of a function ends in 'N: not counted twice.
    const fn = /^[^:]*:(.*) \[[^\]]*\]$/.exec(where)?.[1]
    if (fn === undefined || /'\d+$/.test(fn)) continue
    if (GC_FUNCTIONS.test(fn)) counts.gc += cost
    else if (JIT_FUNCTIONS.test(fn)) counts.jit += cost
  }
  if (Number.isNaN(counts.all)) throw new Error(`${file}: no PROGRAM TOTALS in callgrind_annotate's output`)
  return counts
}

/**
 * Runs the loop under callgrind; resolves to the counts of the parts of the profile listed in `parts`
 * (with marks, part i ends at checkpoint i, and the last part at the exit; without, one part).
 */
function callgrind(
  script: string,
  scenario: string,
  checkpoints: number[],
  marks: boolean,
  parts: number[],
  keepAs?: string,
): Promise<Counts[]> {
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
    String(high),
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
    child.on('close', async (code) => {
      try {
        if (code !== 0 || !output.includes('"ok":true'))
          throw new Error(`exit code ${code}\n${output.split('\n').slice(-30).join('\n')}`)
        // Parts: out.1 ... out.k (one per checkpoint), then out (the rest, up to the exit).
        const files = marks ? [...checkpoints.map((_, i) => `${out}.${i + 1}`), out] : [out]
        if (marks) {
          if (existsSync(`${out}.${checkpoints.length + 1}`))
            throw new Error(`more dumps than checkpoints: something else called ${MARKER}`)
          for (const f of files.slice(0, -1)) {
            if (!readFileSync(f, 'utf8').includes(`Trigger: --dump-before=${MARKER}`))
              throw new Error(`${f}: not a dump at the marker`)
          }
        }
        const counts = await Promise.all(parts.map((i) => analyze(files[i] as string)))
        if (keepAs !== undefined) {
          for (const [n, i] of parts.entries()) copyFileSync(files[i] as string, `${keepAs}.${n + 1}.out`)
        }
        for (const f of files) rmSync(f, { force: true })
        done(counts)
      } catch (error) {
        reject(new Error(`${scenario}: ${(error as Error).message}`))
      }
    })
  })
}

const perRequest = (c: Counts, n: number): Split => ({
  all: c.all / n,
  gc: c.gc / n,
  jit: c.jit / n,
  hot: (c.all - c.gc - c.jit) / n,
})

/** One run of one scenario in one checkout: per request, and the drift between the window's halves. */
async function measure(
  script: string,
  scenario: string,
  keepAs?: string,
): Promise<{ split: Split; drift: number | null }> {
  if (method === 'marks') {
    // Parts: start-up and requests 1..low; low+1..mid; mid+1..high; the exit.
    const [first, second] = await callgrind(script, scenario, [low, mid, high], true, [1, 2], keepAs)
    const a = first as Counts
    const b = second as Counts
    const split = perRequest({ all: a.all + b.all, gc: a.gc + b.gc, jit: a.jit + b.jit }, high - low)
    const hotA = perRequest(a, mid - low).hot
    const hotB = perRequest(b, high - mid).hot
    return { split, drift: Math.abs(hotA - hotB) / split.hot }
  }
  const [[atLow], [atHigh]] = await Promise.all([
    callgrind(script, scenario, [low], false, [0]),
    callgrind(script, scenario, [high], false, [0]),
  ])
  const a = atLow as Counts
  const b = atHigh as Counts
  return {
    split: perRequest({ all: b.all - a.all, gc: b.gc - a.gc, jit: b.jit - a.jit }, high - low),
    drift: null,
  }
}

function summarize(list: { split: Split; drift: number | null }[]): Measured {
  const mean = (f: (s: Split) => number) => list.reduce((sum, s) => sum + f(s.split), 0) / list.length
  const spread = (f: (s: Split) => number) => {
    const values = list.map((s) => f(s.split))
    return (Math.max(...values) - Math.min(...values)) / mean(f)
  }
  const drifts = list.map((s) => s.drift).filter((d) => d !== null)
  return {
    all: mean((s) => s.all),
    gc: mean((s) => s.gc),
    jit: mean((s) => s.jit),
    hot: mean((s) => s.hot),
    spread: spread((s) => s.hot),
    spreadAll: spread((s) => s.all),
    drift: drifts.length === 0 ? null : Math.max(...drifts),
    samples: list.map((s) => s.split),
  }
}

/** Runs `tasks`, at most `limit` at a time. */
async function inParallel(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < tasks.length) await (tasks[next++] as () => Promise<void>)()
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
}

// ---------------------------------------------------------------------------------------------------

const started = Date.now()
const work = mkdtempSync(join(tmpdir(), 'tessera-callgrind-'))
if (args.keep !== undefined) mkdirSync(resolve(args.keep), { recursive: true })
let runs = 0
const noAslr = succeeds('setarch', ['-R', 'true'])
const honoVersion = (() => {
  try {
    const manifest = readFileSync(join(OWN_REPO, 'node_modules/hono/package.json'), 'utf8')
    return (JSON.parse(manifest) as { version: string }).version
  } catch {
    return 'unknown'
  }
})()

console.error(
  `bench:instructions: ${scenarios.length} scenario(s) x ${repos.length} checkout(s) x ${repeat} run(s), ` +
    `requests ${low + 1}..${high} (${method}), ${jobs} valgrind process(es) at a time, ` +
    `${noAslr ? 'ASLR off' : 'ASLR on (setarch -R unavailable)'}`,
)

const columns: Column[] = []
const tasks: (() => Promise<void>)[] = []
let finished = 0
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
  const samples = new Map<string, { split: Split; drift: number | null }[]>()
  // Repetitions last, so that an interrupted run has every scenario once before any twice.
  for (let r = 0; r < repeat; r++) {
    for (const scenario of scenarios) {
      tasks.push(async () => {
        const t0 = Date.now()
        const keepAs =
          args.keep === undefined ? undefined : join(resolve(args.keep), `${index}-${scenario.id}-${r + 1}`)
        const sample = await measure(file, scenario.id, keepAs)
        const list = samples.get(scenario.id) ?? []
        list.push(sample)
        samples.set(scenario.id, list)
        if (list.length === repeat) column.results[scenario.id] = summarize(list)
        const { split, drift } = sample
        console.error(
          `[${++finished}/${tasks.length}] ${label(scenario).padEnd(18)} ${relative(OWN_REPO, repo) || '.'}: ` +
            `${fmt(split.all)} instr/req, hot path ${fmt(split.hot)}, GC ${fmt(split.gc)}, JIT ${fmt(split.jit)}` +
            `${drift === null ? '' : `, drift ${pct(drift)}`} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        )
      })
    }
  }
}
// A repetition of the subtract method is two valgrind runs at once.
try {
  await inParallel(tasks, method === 'subtract' ? Math.max(1, Math.floor(jobs / 2)) : jobs)
} finally {
  rmSync(work, { recursive: true, force: true })
}

const passed = process.argv.slice(2)
const results: ResultsFile = {
  tool: 'tessera bench/callgrind',
  date: new Date().toISOString(),
  command: `npm run bench:instructions${passed.length > 0 ? ` -- ${passed.join(' ')}` : ''}`,
  node: process.version,
  nodeFlags: NODE_FLAGS,
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
  ...(reference === undefined ? [] : [args.compare as string]),
  ...columns.map((c) => relative(OWN_REPO, c.repo) || '.'),
]
const tables = shown.length === 1 ? [single(shown[0] as Column)] : [compared(shown, names)]
console.log(`\n${tables.map((t) => text(t)).join('\n\n')}`)
for (const [i, c] of shown.entries()) {
  if (i > 0 && c.bundle === shown[0]?.bundle)
    console.log(`note: ${names[i]} bundles the same code as ${names[0]}`)
}
console.log(`\n${results.seconds} s; results in ${args.out}`)
if (args.markdown !== undefined) {
  writeFileSync(args.markdown, markdown(results, tables, names, shown))
  console.log(`markdown in ${args.markdown}`)
}

// ---------------------------------------------------------------------------------------------------

interface Table {
  header: string[]
  rows: string[][]
}

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
  const base = column.results[to]?.hot
  const value = column.results[id]?.hot
  return base === undefined || value === undefined ? '' : `${(value / base).toFixed(2)}x`
}

/** The hot path above bare Hono's: what the session middleware and the handler's session work add. */
function aboveBare(column: Column, id: string): number | undefined {
  const base = column.results[BARE]?.hot
  const value = column.results[id]?.hot
  return base === undefined || value === undefined || id === 'hmac' || id === BARE ? undefined : value - base
}

function single(c: Column): Table {
  const header = [
    'scenario',
    'hot path instr/req',
    'x bare (a)',
    'x (c)',
    'above bare',
    'spread',
    'drift',
    'all instr/req',
    'GC',
    'JIT',
    'spread (all)',
  ]
  const rows: string[][] = []
  for (const s of SCENARIOS) {
    const m = c.results[s.id]
    if (m === undefined) continue
    const above = aboveBare(c, s.id)
    rows.push([
      `(${s.tag}) ${s.description}`,
      fmt(m.hot),
      ratio(c, s.id, BARE),
      ratio(c, s.id, VARY),
      above === undefined ? '' : fmt(above),
      pct(m.spread),
      m.drift === null ? '' : pct(m.drift),
      fmt(m.all),
      fmt(m.gc),
      fmt(m.jit),
      pct(m.spreadAll),
    ])
  }
  return { header, rows }
}

/** The first column against each of the others. */
function compared(cols: Column[], colNames: string[]): Table {
  const ref = cols[0] as Column
  const others = cols.slice(1)
  const header = ['scenario', `hot path: ${colNames[0]}`]
  for (const name of colNames.slice(1)) header.push(name, 'change')
  header.push('above bare: ref')
  for (const name of colNames.slice(1)) header.push(name, 'change')
  header.push('all: ref')
  for (const name of colNames.slice(1)) header.push(name, 'change')
  header.push('GC: ref')
  for (const name of colNames.slice(1)) header.push(name)
  header.push('noise (spread, drift)')
  const rows: string[][] = []
  for (const s of SCENARIOS) {
    const r = ref.results[s.id]
    if (r === undefined || others.every((c) => c.results[s.id] === undefined)) continue
    const row = [`(${s.tag}) ${s.description}`, fmt(r.hot)]
    for (const c of others) {
      const m = c.results[s.id]
      row.push(m === undefined ? '' : fmt(m.hot), m === undefined ? '' : change(r.hot, m.hot))
    }
    const refAbove = aboveBare(ref, s.id)
    row.push(refAbove === undefined ? '' : fmt(refAbove))
    for (const c of others) {
      const above = aboveBare(c, s.id)
      row.push(
        above === undefined ? '' : fmt(above),
        above === undefined || refAbove === undefined ? '' : change(refAbove, above),
      )
    }
    row.push(fmt(r.all))
    for (const c of others) {
      const m = c.results[s.id]
      row.push(m === undefined ? '' : fmt(m.all), m === undefined ? '' : change(r.all, m.all))
    }
    row.push(fmt(r.gc))
    for (const c of others) {
      const m = c.results[s.id]
      row.push(m === undefined ? '' : fmt(m.gc))
    }
    // The largest spread or drift of any column: a hot-path change below it is not a change.
    const noise = cols.map((c) => c.results[s.id]).filter((m) => m !== undefined)
    row.push(pct(Math.max(...noise.map((m) => Math.max(m.spread, m.drift ?? 0)))))
    rows.push(row)
  }
  return { header, rows }
}

function text({ header, rows }: Table): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function markdownTable({ header, rows }: Table): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

function markdown(r: ResultsFile, tablesMd: Table[], colNames: string[], cols: Column[]): string {
  const checkouts = cols
    .map(
      (c, i) =>
        `- \`${colNames[i]}\`: ${c.repo}, branch \`${c.branch}\`, commit \`${c.commit}\`` +
        `${c.dirty ? ' (plus uncommitted changes)' : ''}`,
    )
    .join('\n')
  return `# Instructions per request (valgrind)

\`${r.command}\`, ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.seconds} s on ${cpus().length} cores.
Node ${r.node} (\`${r.nodeFlags.join(' ')}\`), ${r.valgrind}, hono ${r.hono}; requests ${r.low + 1}..${r.high}
of each run (method \`${r.method}\`), ${r.repeat} run(s) per scenario.

${checkouts}

${tablesMd.map(markdownTable).join('\n\n')}
`
}
