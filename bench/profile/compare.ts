/**
 * `npm run bench:profile:compare -- <target> <reference>` (names of bench/results/profiles/*.json, e.g.
 * `express-tessera-read express-vary-read`): where a target row's extra CPU per request goes compared
 * with its reference, from the two profiles (their .cpuprofile files, re-read over the timed window).
 * Prints markdown: the parts' shares, and the functions whose self time per request differs most.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Category, frameLabel, readStacks } from './cpuprofile.ts'
import { type Summary, summarize } from './summary.ts'

const DIR = 'bench/results/profiles'
const [targetName, referenceName, limitArg] = process.argv.slice(2)
if (!targetName || !referenceName) {
  console.error('usage: npm run bench:profile:compare -- <target> <reference> [rows]')
  process.exit(2)
}

/** Self samples per function, as microseconds per request. */
function perRequest(name: string): { summary: Summary; us: Map<string, { us: number; category: Category }> } {
  const recorded = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Summary
  const us = new Map<string, { us: number; category: Category }>()
  const path = join(DIR, `${name}.cpuprofile`)
  if (!existsSync(path)) throw new Error(`${path} is gone: run npm run bench:profile again`)
  const read = readStacks(path, ...recorded.window)
  const { stacks, intervalUs } = read
  const summary = summarize(recorded, read)
  const each = intervalUs / summary.requests
  for (const stack of stacks) {
    const leaf = stack.at(-1)
    if (!leaf || leaf.category === 'idle') continue
    const key = frameLabel(leaf)
    const known = us.get(key) ?? { us: 0, category: leaf.category }
    known.us += each
    us.set(key, known)
  }
  return { summary, us }
}

const target = perRequest(targetName)
const reference = perRequest(referenceName)
const t = target.summary
const r = reference.summary
const fmt = (n: number) => n.toFixed(1)
const lines = [
  `### ${t.server} ${t.scenario} vs ${r.server} ${r.scenario}`,
  '',
  '| | CPU us/request | tessera src/ (self) | tessera own work | app | framework | node | GC | (program) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
]
for (const s of [t, r]) {
  const p = s.self
  lines.push(
    `| ${s.server} ${s.scenario} | ${fmt(s.busyUsPerRequest)} | ${p.tessera}% | ${s.tesseraOwn}% | ${p.app}% | ` +
      `${p.framework}% | ${p.node}% | ${p.gc}% | ${p.program}% |`,
  )
}
const keys = new Set([...target.us.keys(), ...reference.us.keys()])
const diffs = [...keys]
  .map((key) => {
    const a = target.us.get(key)
    const b = reference.us.get(key)
    return { key, category: (a ?? b)?.category, diff: (a?.us ?? 0) - (b?.us ?? 0), a: a?.us ?? 0 }
  })
  .sort((x, y) => Math.abs(y.diff) - Math.abs(x.diff))
  .slice(0, Number(limitArg ?? 12))
lines.push('', '| function (self time) | part | target us/req | difference us/req |', '|---|---|---:|---:|')
for (const d of diffs)
  lines.push(
    `| \`${d.key.replaceAll('|', '\\|')}\` | ${d.category} | ${fmt(d.a)} | ${d.diff >= 0 ? '+' : ''}${fmt(d.diff)} |`,
  )
console.log(lines.join('\n'))
