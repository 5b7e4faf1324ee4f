/**
 * The targets of issues 13 (performance, round two) and 14 (the new frameworks), computed from a run:
 * each with the measured ratio and met / missed, or "not measured" when a row it needs did not run.
 */
import { reasonFor } from './miss-reasons.ts'
import { pct, type ScaleResults, type View } from './report.ts'

/** A target and whether this run meets it (`undefined`: not measured). */
export interface TargetCheck {
  target: string
  measured: string
  met: boolean | undefined
  /** Reported beside the targets, not a target itself. */
  reported?: true
}

/** The frameworks with a tessera cookie-engine row (`<framework>/tessera`). */
const ADAPTERS = [
  'hono',
  'express',
  'fastify',
  'koa',
  'node',
  'nest-express',
  'nest-fastify',
  'h3',
  'elysia',
  'next',
  'sveltekit',
]

/** Issue 14's new adapters: reads >= 0.85x their bare framework. */
const NEW_ADAPTERS = ['next', 'nest-express', 'nest-fastify', 'sveltekit', 'h3', 'elysia']

/** Cookie engine write and new, relative to bare. */
const WRITE_TARGETS: [string, number][] = [
  ['hono', 0.65],
  ['fastify', 0.65],
  ['express', 0.8],
  ['koa', 0.8],
]

/** A ratio target: met when measured and at least `min`. */
function atLeast(target: string, ratio: number | undefined, min: number, extra = ''): TargetCheck {
  if (ratio === undefined) return { target, measured: 'not measured', met: undefined }
  return { target, measured: `${ratio.toFixed(2)}x (${pct(ratio)})${extra}`, met: ratio >= min }
}

/** Checks every target of issues 13 and 14 on the run. */
export function targets(v: View): TargetCheck[] {
  const out: TargetCheck[] = []
  for (const f of ADAPTERS)
    out.push(
      atLeast(
        `${f}: untouched route >= 0.95x the no-op middleware (a)`,
        v.versus(`${f}/tessera`, 'untouched', `${f}/noop`),
        0.95,
      ),
    )
  for (const f of ADAPTERS)
    out.push(
      atLeast(
        `${f}: cookie engine read >= 0.90x the Vary reference (b)`,
        v.versus(`${f}/tessera`, 'read', `${f}/vary`),
        0.9,
      ),
    )
  for (const [f, min] of WRITE_TARGETS)
    for (const scenario of ['write', 'new'])
      out.push(
        atLeast(
          `${f}: cookie engine ${scenario} >= ${min.toFixed(2)}x bare`,
          v.versus(`${f}/tessera`, scenario, `${f}/bare`),
          min,
        ),
      )
  out.push(
    atLeast(
      'hono: memory store read >= 0.80x the cookie engine read',
      v.versus('hono/tessera-memory', 'read', 'hono/tessera'),
      0.8,
    ),
    atLeast(
      'hono: SQLite store read >= 0.60x the cookie engine read',
      v.versus('hono/tessera-sqlite', 'read', 'hono/tessera'),
      0.6,
    ),
    atLeast('hono: Redis store read >= 0.50x bare', v.versus('hono/tessera-redis', 'read', 'hono/bare'), 0.5),
    atLeast(
      'hono: Redis store write, one session per connection >= 0.35x bare write',
      v.versus('hono/tessera-redis', 'write-each', 'hono/bare', 'write'),
      0.35,
    ),
    contended(v),
    redisLimit(v),
  )
  out.push(...storeScale(v.results.storeScale as ScaleResults | undefined))
  for (const f of NEW_ADAPTERS)
    out.push(
      atLeast(`${f} (new adapter): read >= 0.85x bare`, v.versus(`${f}/tessera`, 'read', `${f}/bare`), 0.85),
    )
  out.push(
    atLeast(
      'demo (`npm start`): /read_session >= 0.80x bare Hono with the same secureHeaders()',
      v.versus('demo/tessera', 'read', 'demo/bare'),
      0.8,
    ),
  )
  if (v.results.servers.some((s) => s.id === 'hono/tessera-baseline')) {
    const vs = (scenario: string) => v.versus('hono/tessera', scenario, 'hono/tessera-baseline')
    const ratios = ['read', 'write', 'new', 'untouched'].map((s) => `${s} ${vs(s)?.toFixed(2) ?? 'n/a'}x`)
    out.push({
      target: 'hono: tessera over the BENCH_BASELINE checkout, same run (issue 10: no regression; reported)',
      measured: ratios.join(', '),
      met: undefined,
      reported: true,
    })
  }
  const seed = (id: string) => v.versus('demo/tessera', 'read', id)
  const x = (r: number | undefined) => (r === undefined ? 'not measured' : `${r.toFixed(1)}x`)
  out.push({
    target: "demo /read_session over the seed's FastAPI app's read (reported, not targeted)",
    measured: `Debian's uvicorn (h11): ${x(seed('fastapi/session-h11'))}; uvloop + httptools: ${x(seed('fastapi/session'))}`,
    met: undefined,
    reported: true,
  })
  return out
}

/** The memory store from 1 to 1,000,000 sessions: <= 1.2x per request, <= 300 B per small session. */
function storeScale(scale: ScaleResults | undefined): TargetCheck[] {
  const first = scale?.rows[0]
  const last = scale?.rows.at(-1)
  const measured = first && last && first.sessions === 1 && last.sessions === 1_000_000
  const most = (target: string, ratio: number | undefined, max: number): TargetCheck =>
    ratio === undefined
      ? { target, measured: 'not measured', met: undefined }
      : { target, measured: `${ratio.toFixed(2)}x`, met: ratio <= max }
  const bytes = measured ? last.bytesPerSession : undefined
  return [
    most(
      'memory store: read cost 1 -> 1,000,000 sessions <= 1.20x',
      measured ? last.readNs / first.readNs : undefined,
      1.2,
    ),
    most(
      'memory store: write cost 1 -> 1,000,000 sessions <= 1.20x',
      measured ? last.writeNs / first.writeNs : undefined,
      1.2,
    ),
    bytes === undefined
      ? { target: 'memory store: heap per small session <= 300 B', measured: 'not measured', met: undefined }
      : {
          target: 'memory store: heap per small session <= 300 B',
          measured: `${Math.round(bytes)} B`,
          met: bytes <= 300,
        },
  ]
}

/** All 50 connections on one session: >= 0.5x the uncontended rate, and p99 <= 25 ms. */
function contended(v: View): TargetCheck {
  const target =
    'hono: Redis store write, all connections on ONE session >= 0.50x the uncontended rate, p99 <= 25 ms'
  const ratio = v.versus('hono/tessera-redis', 'write', 'hono/tessera-redis', 'write-each')
  const p99 = v.run('hono/tessera-redis', 'write')?.p99Ms
  if (ratio === undefined || p99 === undefined) return { target, measured: 'not measured', met: undefined }
  return {
    target,
    measured: `${ratio.toFixed(2)}x (${pct(ratio)}), p99 ${p99.toFixed(1)} ms`,
    met: ratio >= 0.5 && p99 <= 25,
  }
}

/** What one Redis round trip leaves of bare Hono (reference (r)), beside which the Redis targets are read. */
function redisLimit(v: View): TargetCheck {
  const x = (r: number | undefined) => (r === undefined ? 'not measured' : `${r.toFixed(2)}x`)
  const ref = (scenario: 'read' | 'write') => v.versus('hono/redis-get', scenario, 'hono/bare')
  const store = (scenario: 'read' | 'write-each') =>
    v.versus('hono/tessera-redis', scenario, 'hono/redis-get', scenario === 'read' ? 'read' : 'write')
  return {
    target:
      'hono: reference (r), one Redis GET per request, over bare; the Redis store over (r) (reported, not targeted)',
    measured:
      `(r) read ${x(ref('read'))}, write ${x(ref('write'))} of bare; ` +
      `store read ${x(store('read'))}, write-each ${x(store('write-each'))} of (r)`,
    met: undefined,
    reported: true,
  }
}

/** The targets as a Markdown table; a missed one gets the reason the profiles give (./miss-reasons.ts). */
export function renderTargets(checks: TargetCheck[], withReasons = true): string {
  const lines = withReasons
    ? ['| target | measured | met | why missed (evidence) |', '|---|---|---|---|']
    : ['| target | measured | met |', '|---|---|---|']
  for (const t of checks) {
    const why = withReasons ? ` ${t.met === false ? reasonFor(t.target) : ''} |` : ''
    lines.push(`| ${t.target} | ${t.measured} | ${verdict(t)} |${why}`)
  }
  const met = checks.filter((t) => t.met === true).length
  const missed = checks.filter((t) => t.met === false).length
  const unknown = checks.filter((t) => t.met === undefined && !t.reported).length
  lines.push('', `${met} met, ${missed} missed, ${unknown} not measured.`)
  return lines.join('\n')
}

function verdict(t: TargetCheck): string {
  if (t.reported) return 'reported'
  if (t.met === undefined) return 'not measured'
  return t.met ? 'met' : '**missed**'
}
