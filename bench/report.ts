/** Re-renders results.md, chart.svg and README.md's targets from results.json (after editing the report code, say). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { renderChart } from './lib/chart.ts'
import { type Results, renderMarkdown, withTargets } from './lib/report.ts'

const dir = process.argv[2] ?? 'bench/results'
const results = JSON.parse(readFileSync(`${dir}/results.json`, 'utf8')) as Results
writeFileSync(`${dir}/results.md`, renderMarkdown(results))
writeFileSync(`${dir}/chart.svg`, renderChart(results))
if (existsSync(`${dir}/README.md`))
  writeFileSync(`${dir}/README.md`, withTargets(readFileSync(`${dir}/README.md`, 'utf8'), results))
console.log(`wrote ${dir}/results.md and ${dir}/chart.svg`)
