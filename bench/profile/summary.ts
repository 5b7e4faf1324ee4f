/**
 * What a profile says in numbers: the functions with the most self and inclusive time, and the share of
 * the samples in each part of the program (tessera's src/, the framework, node internals, GC, idle).
 */
import { CATEGORY_NAMES, type Category, type Frame, frameLabel, type Stacks } from './cpuprofile.ts'

/** One function's share of the samples. */
export interface Row {
  function: string
  category: Category
  /** Percent of the busy samples (all but (idle)). */
  percent: number
}

/** The numbers of one profiled run. */
export interface Summary {
  server: string
  scenario: string
  seconds: number
  requests: number
  /** The timed window in the profile's clock (monotonic microseconds), to re-read the .cpuprofile. */
  window: [number, number]
  samples: number
  intervalUs: number
  /** Percent of all samples spent waiting ((idle)): the rest are the busy samples. */
  idle: number
  /** Percent of the busy samples whose innermost frame with a file is in each part. */
  self: Record<Exclude<Category, 'idle'>, number>
  /** Percent of the busy samples with a frame of tessera's src/ on the stack (tessera and what it calls). */
  tesseraInclusive: number
  /**
   * {@link tesseraInclusive} without what tessera only hands back to: the rest of the middleware chain
   * and the response methods it wraps (see {@link HAND_BACK}). Its own code plus the framework and
   * node calls it makes (reading the Cookie header, setting Vary...).
   */
  tesseraOwn: number
  /** Sampled CPU per request, microseconds (samples x interval / requests; idle excluded). */
  busyUsPerRequest: number
  topSelf: Row[]
  topInclusive: Row[]
}

/**
 * Callees through which a tessera frame hands control back to the app and the framework: the next
 * middleware (`next`, koa-compose's `dispatch`, Hono's compose), the handler's response that a wrapper
 * passes on (`end`, `write`, `writeHead`; Hono's `text`, `json`, `body`...). Samples under them are the
 * request's own work, not tessera's, though tessera's frame is below them on the stack.
 */
const HAND_BACK = new Set([
  'next',
  'dispatch',
  'handle',
  'end',
  'write',
  'writeHead',
  'text',
  'json',
  'body',
  'html',
  'newResponse',
  '#newResponse',
  'send',
  'then',
])

/** Whether `stack` is in tessera's own work: a src/ frame, not handing back to the framework. */
function inTesseraOwn(stack: Frame[]): boolean {
  let innermost = -1
  for (let i = 0; i < stack.length; i++) if ((stack[i] as Frame).file.startsWith('src/')) innermost = i
  if (innermost < 0) return false
  const callee = stack.slice(innermost + 1).find((f) => f.file)
  return (
    callee === undefined ||
    callee.file.startsWith('src/') ||
    (!HAND_BACK.has(callee.name) && !callee.file.includes('compose'))
  )
}

const percent = (n: number, total: number) => Math.round((10000 * n) / Math.max(1, total)) / 100

function top(counts: Map<string, { n: number; category: Category }>, total: number, limit: number): Row[] {
  return [...counts]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, limit)
    .map(([fn, { n, category }]) => ({ function: fn, category, percent: percent(n, total) }))
}

function add(counts: Map<string, { n: number; category: Category }>, frame: Frame): void {
  const key = frameLabel(frame)
  const known = counts.get(key)
  if (known) known.n++
  else counts.set(key, { n: 1, category: frame.category })
}

/** Sums up `stacks` (one profiled run that served `requests` requests in `seconds`). */
export function summarize(
  run: { server: string; scenario: string; seconds: number; requests: number; window: [number, number] },
  { stacks, intervalUs }: Stacks,
  limit = 25,
): Summary {
  const self = Object.fromEntries(Object.keys(CATEGORY_NAMES).map((c) => [c, 0])) as Record<Category, number>
  const selfCounts = new Map<string, { n: number; category: Category }>()
  const inclusiveCounts = new Map<string, { n: number; category: Category }>()
  let tessera = 0
  let own = 0
  for (const stack of stacks) {
    const leaf = stack.at(-1)
    if (leaf?.category === 'idle') {
      self.idle++
      continue
    }
    self[leaf?.category ?? 'other']++
    if (leaf) add(selfCounts, leaf)
    const seen = new Set<string>()
    for (const frame of stack) {
      const key = frameLabel(frame)
      if (seen.has(key)) continue // recursion counts once
      seen.add(key)
      add(inclusiveCounts, frame)
    }
    if (stack.some((f) => f.category === 'tessera')) tessera++
    if (inTesseraOwn(stack)) own++
  }
  const total = stacks.length
  const { idle, ...busyParts } = self
  const busy = total - idle
  const shares = Object.fromEntries(Object.entries(busyParts).map(([c, n]) => [c, percent(n, busy)]))
  return {
    ...run,
    samples: total,
    intervalUs: Math.round(intervalUs * 10) / 10,
    idle: percent(idle, total),
    self: shares as Summary['self'],
    tesseraInclusive: percent(tessera, busy),
    tesseraOwn: percent(own, busy),
    busyUsPerRequest: Math.round((10 * busy * intervalUs) / Math.max(1, run.requests)) / 10,
    topSelf: top(selfCounts, busy, limit),
    topInclusive: top(inclusiveCounts, busy, limit),
  }
}

function table(rows: Row[]): string {
  const lines = rows.map(
    (r, i) =>
      `| ${i + 1} | \`${r.function.replaceAll('|', '\\|')}\` | ${r.category} | ${r.percent.toFixed(2)} |`,
  )
  return ['| # | function (file:line) | part | % of busy samples |', '|---:|---|---|---:|', ...lines].join(
    '\n',
  )
}

/** The summary as markdown, beside the flame graph `svg`. */
export function summaryMarkdown(s: Summary, svg: string): string {
  const parts = (Object.keys(s.self) as (keyof Summary['self'])[])
    .map((c) => `| ${CATEGORY_NAMES[c]} | ${s.self[c].toFixed(2)} |`)
    .join('\n')
  return `# Profile: ${s.server}, ${s.scenario}

\`npm run bench:profile -- ${s.server} ${s.scenario} --seconds ${s.seconds}\`: ${s.requests} requests in
${s.seconds} s under wrk (machine shared: compare shares, not rates), ${s.samples} samples of
${s.intervalUs} us inside the timed window (start-up and warm-up cut away), ${s.idle.toFixed(2)}% of them
idle (waiting for requests); every percentage below is of the busy rest. Flame graph: [${svg}](${svg}).

Sampled CPU per request (busy samples x interval / requests): ${s.busyUsPerRequest} us.

## Where the busy samples are (innermost frame with a file; a builtin counts for its caller)

| part | % of busy samples |
|---|---:|
${parts}
| tessera's src/ anywhere on the stack (it and all it calls, the rest of the request included) | ${s.tesseraInclusive.toFixed(2)} |
| tessera's own work: the above without what it hands back to (next middleware, the wrapped \`end\`...) | ${s.tesseraOwn.toFixed(2)} |

## Top ${s.topSelf.length} functions by self time

${table(s.topSelf)}

## Top ${s.topInclusive.length} functions by inclusive time

${table(s.topInclusive)}
`
}
