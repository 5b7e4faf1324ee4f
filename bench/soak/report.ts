/**
 * Writes bench/results/soak.md from the soak-<store>.json records beside it, so each store's run can
 * be recorded on its own and the page always shows the latest of each.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sample } from './app.ts'
import type { SoakRecord } from './run.ts'

/** The RSS curve in a few points: every `step`th sample, as `t s: MB`. */
function curve(samples: Sample[], points = 12): string {
  const step = Math.max(1, Math.ceil(samples.length / points))
  const picked = samples.filter((_, i) => i % step === 0 || i === samples.length - 1)
  return picked.map((s) => `${Math.round(s.at)} s: ${s.rssMb} MB / ${s.storeSize}`).join(', ')
}

function section(r: SoakRecord): string {
  const full = r.load.requests >= 1_000_000 && r.load.sessions >= 100_000
  const rate = r.load.seconds > 0 ? Math.round(r.load.requests / r.load.seconds) : 0
  const routes = Object.entries(r.load.byRoute)
    .sort((a, b) => b[1] - a[1])
    .map(([route, n]) => `/${route} ${n}`)
    .join(', ')
  // Stopped by --max-seconds with every check met: not a failure of the library, a shorter run.
  const checksMet = r.failures.every((f) => f.startsWith('stopped after'))
  const verdict = r.passed
    ? 'passed'
    : checksMet
      ? `checks met, run cut short by its ${r.load.seconds} s time bound`
      : 'FAILED'
  return `## ${r.store === 'memory' ? 'Memory store' : 'SQLite store (file, WAL)'}: ${verdict}

Run ${r.date} on ${r.machine}.

| | |
| --- | --- |
| size run | **${r.load.requests.toLocaleString('en')} requests over ${r.load.sessions.toLocaleString('en')} sessions**${full ? ' (the full size)' : ` (planned ${r.plan.requests.toLocaleString('en')} over ${r.plan.sessions.toLocaleString('en')}; not the full 1,000,000 / 100,000)`} |
| errors | **${r.load.errors}**${r.load.examples.length > 0 ? ` (${r.load.examples.join('; ')})` : ''} |
| duration | ${r.load.seconds} s (${rate} requests/s with ${r.plan.connections} keep-alive connections, window ${r.plan.window} sessions) |
| resident memory (app process) | start ${r.rss.startMb} MB, **peak ${r.rss.peakMb} MB** (bound ${r.plan.rssLimitMb} MB), end of load ${r.rss.endMb} MB, after expiry ${r.rss.afterExpiryMb} MB |
| store size (sessions) | peak ${r.storeSize.peak.toLocaleString('en')}, end of load ${r.storeSize.atEndOfLoad.toLocaleString('en')}, **${r.storeSize.afterExpiry} after expiry** (${r.storeSize.expiryWaitSeconds} s after the last request; idle timeout ${r.plan.idleSeconds} s, sweep every ${r.plan.sweepSeconds} s) |
| requests by route | ${routes} |
${r.failures.length > 0 ? `| failures | ${r.failures.join('; ')} |\n` : ''}
RSS / store size over time (${r.samples.length} samples, one a second): ${curve(r.samples)}.
`
}

/** Rewrites `dir`/soak.md from the records found in `dir`. */
export function writeSoakReport(dir: string): void {
  const records = (['memory', 'sqlite'] as const)
    .map((store) => join(dir, `soak-${store}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as SoakRecord)
  const text = `# Soak: the demo app on the memory and SQLite stores

\`npm run soak\` (bench/soak/run.ts; not part of \`npm test\`) sends a bounded load on loopback through
the demo app (\`createDemoApp\` on a store engine) in a child process: by default 1,000,000 requests
over 100,000 distinct sessions for each store, each session visited ten times (create, read back,
catalogue pages, preferences, the inspector, the home page), interleaved with the others. Every answer
is checked (status 200, the value written read back, a session cookie). The idle timeout is short, so
sessions expire and are swept while the run goes on; after the last request the run waits for the
store to empty itself. The memory store's \`maxEntries\` is above the number of sessions, so its size
falls by expiry alone, never by eviction.

A run passes with zero errors, a peak resident memory of the app process under the stated bound, and
an empty store after the idle timeout. The machine is shared and loaded by other work: the throughput
is a record of this run, not a target.

The raw records, with every sample: ${records.map((r) => `[soak-${r.store}.json](soak-${r.store}.json)`).join(', ')}.

${records.map(section).join('\n')}`
  writeFileSync(join(dir, 'soak.md'), text)
}
