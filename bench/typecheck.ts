/**
 * `npm run bench:typecheck`: type-checks each benchmark app in a program of its own. They cannot share
 * one with the library: tessera's adapters and the peers (express-session, @fastify/session,
 * koa-session...) each declare `session` on the same framework request types, differently.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'

// `npm run bench:typecheck -- hono nest`: only those apps.
const wanted = process.argv.slice(2)
const apps = readdirSync('bench/apps').filter(
  (f) =>
    f.endsWith('.ts') &&
    !f.endsWith('-routes.ts') &&
    f !== 'common.ts' &&
    f !== 'endpoints.ts' &&
    (wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, ''))),
)
mkdirSync('bench/tmp', { recursive: true })
let failed = 0
for (const app of apps) {
  const config = `bench/tmp/tsconfig.${app.replace(/\.ts$/, '')}.json`
  writeFileSync(
    config,
    JSON.stringify({ extends: '../../tsconfig.json', include: [], files: [`../apps/${app}`] }),
  )
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config, '--noEmit'], {
      stdio: 'inherit',
    })
    console.log(`ok   ${app}`)
  } catch {
    failed++
    console.log(`FAIL ${app}`)
  }
}
process.exit(failed ? 1 : 0)
