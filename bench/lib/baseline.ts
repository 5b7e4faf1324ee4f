/**
 * `BENCH_BASELINE=<checkout>`: tessera's Hono row as an older checkout of tessera serves it, beside
 * this one in the same run (issue 10's "no regression": before and after, side by side, not two
 * runs a day apart). This checkout's bench apps are copied into `<checkout>/.tmp/bench-baseline-apps`,
 * where `import 'tessera-session/hono'` resolves, through the package's self-reference and the
 * source condition, to that checkout's src/; Hono comes from its node_modules. The copy is removed
 * when the run ends.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spec } from './server-list.ts'
import type { ServerSpec } from './servers.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const NODE = [process.execPath, '--conditions=tessera-session-source', '--import', 'tsx']

/** The baseline's rows, or none without BENCH_BASELINE. */
export function baselineServers(checkout = process.env.BENCH_BASELINE): ServerSpec[] {
  if (!checkout) return []
  const dir = resolve(checkout)
  if (!existsSync(join(dir, 'src')) || !existsSync(join(dir, 'node_modules', 'hono')))
    throw new Error(`BENCH_BASELINE=${checkout}: not a tessera checkout with its node_modules installed`)
  const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  const apps = join(dir, '.tmp', 'bench-baseline-apps')
  return [
    spec(
      'hono',
      `tessera at ${commit} (BENCH_BASELINE)`,
      'tessera',
      'cookie',
      [...NODE, join(apps, 'hono.ts'), 'tessera'],
      {
        id: 'hono/tessera-baseline',
        scenarios: ['read', 'write', 'new', 'untouched'],
        note: `this checkout's Hono bench app on the sources of ${commit} (${dir}): the same requests, the older tessera`,
        prepare: {
          name: `bench apps into ${commit}`,
          run: async () => {
            rmSync(apps, { recursive: true, force: true })
            mkdirSync(apps, { recursive: true })
            cpSync(join(root, 'bench', 'apps'), apps, {
              recursive: true,
              filter: (source) =>
                !/[/\\](next|sveltekit)([/\\]|$)/.test(source.slice(join(root, 'bench', 'apps').length)),
            })
            return apps
          },
        },
      },
    ),
  ]
}

/** Removes the copy of the apps (called when the run ends). */
export function removeBaselineApps(checkout = process.env.BENCH_BASELINE): void {
  if (checkout)
    rmSync(join(resolve(checkout), '.tmp', 'bench-baseline-apps'), { recursive: true, force: true })
}
