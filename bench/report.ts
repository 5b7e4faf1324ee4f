/** Re-renders results.md and chart.svg from results.json (after editing the report code, say). */
import { readFileSync, writeFileSync } from 'node:fs'
import { renderChart } from './lib/chart.ts'
import { type Results, renderMarkdown } from './lib/report.ts'

const dir = process.argv[2] ?? 'bench/results'
const results = JSON.parse(readFileSync(`${dir}/results.json`, 'utf8')) as Results
writeFileSync(`${dir}/results.md`, renderMarkdown(results))
writeFileSync(`${dir}/chart.svg`, renderChart(results))
console.log(`wrote ${dir}/results.md and ${dir}/chart.svg`)
