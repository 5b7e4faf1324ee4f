/**
 * The chart: one panel per framework, one row per library, one bar per scenario showing the rate
 * relative to the bare framework (100% = no session at all). Plain SVG, no external service.
 */

import { best, type Results, View } from './report.ts'
import { SCENARIOS } from './scenarios.ts'

const COLORS: Record<string, string> = {
  read: '#2563eb',
  write: '#dc2626',
  new: '#16a34a',
  untouched: '#9333ea',
  large: '#ea580c',
  'write-each': '#a16207',
}

const WIDTH = 980
const LABEL = 270
const PLOT = 600
const BAR = 7
const ROW_GAP = 12
const MAX_RATIO = 1.1

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The SVG text. */
export function renderChart(results: Results): string {
  const v = new View(results)
  const parts: string[] = []
  let y = 64
  const x = (ratio: number) => LABEL + (Math.min(ratio, MAX_RATIO) / MAX_RATIO) * PLOT

  for (const framework of v.frameworks()) {
    const specs = results.servers.filter((s) => s.framework === framework && s.kind !== 'bare')
    const bare = results.servers.find((s) => s.framework === framework && s.kind === 'bare')
    if (specs.length === 0 || !bare) continue
    const bareRead = best(v.cell(bare.id, 'read'))?.requestsPerSecond
    parts.push(
      `<text x="10" y="${y + 14}" class="panel">${escapeXml(framework)}</text>` +
        `<text x="${LABEL}" y="${y + 14}" class="note">bare ${framework}: ${bareRead ? Math.round(bareRead).toLocaleString('en-US') : '?'} req/s on read = 100%</text>`,
    )
    y += 24
    const top = y
    for (const spec of specs) {
      // Only the scenarios this server ran (references run two, the demo one).
      const shown = SCENARIOS.filter((s) => v.cell(spec.id, s.id))
      const rowHeight = Math.max(1, shown.length) * BAR + ROW_GAP
      if (spec.kind === 'tessera') {
        parts.push(`<rect x="4" y="${y - 4}" width="${WIDTH - 8}" height="${rowHeight - 4}" class="mine"/>`)
      }
      parts.push(
        `<text x="${LABEL - 8}" y="${y + (Math.max(1, shown.length) * BAR) / 2 + 4}" text-anchor="end" class="${spec.kind === 'tessera' ? 'tessera' : 'peer'}">${escapeXml(spec.library)}</text>`,
      )
      shown.forEach((s, i) => {
        const r = v.ratio(spec, s.id)
        const by = y + i * BAR
        if (r === undefined) {
          parts.push(`<text x="${LABEL + 4}" y="${by + BAR - 1}" class="tiny">${s.id}: n/a</text>`)
          return
        }
        parts.push(
          `<rect x="${LABEL}" y="${by}" width="${(x(r) - LABEL).toFixed(1)}" height="${BAR - 1}" fill="${COLORS[s.id]}"><title>${escapeXml(spec.library)} ${s.id}: ${Math.round(r * 100)}% of bare</title></rect>` +
            `<text x="${(x(r) + 3).toFixed(1)}" y="${by + BAR - 1}" class="tiny">${Math.round(r * 100)}%</text>`,
        )
      })
      y += rowHeight
    }
    // 100% = the bare framework.
    parts.push(`<line x1="${x(1)}" y1="${top - 6}" x2="${x(1)}" y2="${y - ROW_GAP}" class="full"/>`)
    y += 14
  }

  const legend = SCENARIOS.map(
    (s, i) =>
      `<rect x="${LABEL + i * 110}" y="34" width="12" height="10" fill="${COLORS[s.id]}"/><text x="${LABEL + i * 110 + 16}" y="43" class="note">${s.id}</text>`,
  ).join('')
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${x(t)}" y="${y + 4}" text-anchor="middle" class="tiny">${t * 100}%</text>`)
    .join('')
  const height = y + 24
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title{font-size:16px;font-weight:600}.panel{font-size:14px;font-weight:600}.note{font-size:11px;fill:#555}
.tiny{font-size:8px;fill:#333}.peer{font-size:12px;fill:#333}.tessera{font-size:12px;font-weight:700;fill:#111}
.mine{fill:#fef9c3}.full{stroke:#111;stroke-dasharray:3 3}
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" class="title">Sessions: requests per second relative to the bare framework (same run, ${escapeXml(results.date.slice(0, 10))})</text>
${legend}
${parts.join('\n')}
${axis}
</svg>
`
}
