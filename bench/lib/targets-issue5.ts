/** The targets of issue 5 (the first performance round), checked on a run. */
import { pct, type View } from './report.ts'
import { SCENARIOS } from './scenarios.ts'
import type { ServerSpec } from './servers.ts'
import type { TargetCheck } from './targets.ts'

const RATIO_TARGETS: Record<string, Record<string, number>> = {
  hono: { read: 0.85, write: 0.6, new: 0.6 },
  fastify: { read: 0.85, write: 0.6, new: 0.6 },
  express: { read: 0.9, write: 0.9 },
  koa: { read: 0.9, write: 0.9 },
}

/** Checks the targets of issue 5 that this run can tell. */
export function issue5Targets(v: View): TargetCheck[] {
  const out: TargetCheck[] = []
  const servers = v.results.servers
  for (const [framework, wanted] of Object.entries(RATIO_TARGETS)) {
    const mine = servers.filter(
      (s) => s.framework === framework && s.kind === 'tessera' && s.storage === 'cookie',
    )
    if (mine.length === 0) {
      out.push({
        target: `${framework} adapter: ${describe(wanted)}`,
        measured: 'adapter not in this run',
        met: undefined,
      })
    }
    for (const spec of mine) {
      for (const [scenario, min] of Object.entries(wanted)) {
        const r = v.ratio(spec, scenario)
        out.push({
          target: `${spec.id} ${scenario} >= ${pct(min)} of bare`,
          measured: pct(r),
          met: r === undefined ? undefined : r >= min,
        })
      }
    }
  }
  for (const spec of servers.filter((s) => s.kind === 'tessera')) {
    const peers = servers.filter((s) => s.framework === spec.framework && s.kind === 'peer')
    if (peers.length === 0) continue
    const behind: string[] = []
    let margin = Number.POSITIVE_INFINITY
    for (const s of SCENARIOS) {
      const mine = v.rps(spec.id, s.id)
      for (const peer of peers) {
        const theirs = v.rps(peer.id, s.id)
        if (mine === undefined || theirs === undefined) continue
        margin = Math.min(margin, mine / theirs)
        if (mine <= theirs) behind.push(`${s.id} vs ${peer.library}`)
      }
    }
    out.push({
      target: `${spec.id} ahead of every ${spec.framework} peer in every scenario`,
      measured: behind.length ? `behind on ${behind.join(', ')}` : `closest margin ${margin.toFixed(2)}x`,
      met: behind.length === 0,
    })
  }
  // The seed's app as issue 5 describes it: Debian's python3-fastapi + python3-uvicorn (h11). The same
  // app on uvloop + httptools is shown beside it.
  const seed = servers.find((s) => s.id === 'fastapi/session-h11')
  const fastSeed = servers.find((s) => s.id === 'fastapi/session')
  const factor = (mine: ServerSpec, theirs: ServerSpec | undefined, scenario: string) => {
    const a = v.rps(mine.id, scenario)
    const b = theirs && v.rps(theirs.id, scenario)
    return a !== undefined && b ? a / b : undefined
  }
  const x = (f: number | undefined) => (f === undefined ? 'n/a' : `${f.toFixed(1)}x`)
  for (const spec of servers.filter((s) => s.kind === 'tessera' && s.storage === 'cookie')) {
    if (!seed) break
    const factors = ['read', 'write'].map((s) => factor(spec, seed, s))
    const known = factors.filter((f): f is number => f !== undefined)
    out.push({
      target: `${spec.id} >= 10x the seed's FastAPI app (Debian uvicorn, h11) on read and write`,
      measured:
        `read ${x(factors[0])}, write ${x(factors[1])}` +
        (fastSeed
          ? ` (vs uvloop + httptools: read ${x(factor(spec, fastSeed, 'read'))}, write ${x(factor(spec, fastSeed, 'write'))})`
          : ''),
      met: known.length === 2 ? known.every((f) => f >= 10) : undefined,
    })
  }
  for (const [storage, min] of [
    ['memory', 0.8],
    ['redis', 0.5],
  ] as const) {
    const mine = servers.filter((s) => s.kind === 'tessera' && s.storage === storage)
    if (mine.length === 0) {
      out.push({
        target: `${storage} store read >= ${pct(min)} of bare`,
        measured: 'store not in this run',
        met: undefined,
      })
    }
    for (const spec of mine) {
      const r = v.ratio(spec, 'read')
      out.push({
        target: `${spec.id} read >= ${pct(min)} of bare`,
        measured: pct(r),
        met: r === undefined ? undefined : r >= min,
      })
    }
  }
  return out
}

function describe(wanted: Record<string, number>): string {
  return Object.entries(wanted)
    .map(([s, m]) => `${s} >= ${pct(m)}`)
    .join(', ')
}
