/**
 * The frameworks whose apps need a production build before they serve: Next.js (`next build`, then
 * `next start`) and SvelteKit (`vite build`, then its `Server`). Each is built once per run, in
 * `.tmp/` of the checkout (ignored by git, biome and tsc; inside the checkout so that `next`,
 * `react` and `svelte` resolve from its node_modules), and removed when the run ends.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { installBuiltPackage } from '../../test/support/built-package.ts'
import { type Extra, node, references, spec } from './server-list.ts'
import type { Prepare, ServerSpec } from './servers.ts'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const NEXT_BIN = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')
const built: string[] = []

/** Removes every build of this run. */
export function removeBuilds(): void {
  for (const dir of built.splice(0)) rmSync(dir, { recursive: true, force: true })
}

function scratch(name: string, fixture: string): string {
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', `bench-${name}-`))
  built.push(dir)
  cpSync(join(root, 'bench', 'apps', fixture), dir, { recursive: true })
  return dir
}

/** Caches a build: the servers that share it run it once. */
function once(name: string, build: () => Promise<string>): Prepare {
  let result: Promise<string> | undefined
  return { name, run: () => (result ??= build()) }
}

/**
 * Next.js: bench/apps/next plus bench/apps/endpoints.ts, with tessera installed as users get it (the
 * package built from src/ into the app's node_modules, resolved without the source condition), as
 * test/frameworks/next does. A `next build` on two loaded cores takes one to two minutes.
 */
const nextBuild = once('next build', async () => {
  const dir = scratch('next', 'next')
  mkdirSync(join(dir, 'lib'))
  copyFileSync(join(root, 'bench', 'apps', 'endpoints.ts'), join(dir, 'lib', 'endpoints.ts'))
  await installBuiltPackage(root, dir)
  await run(process.execPath, [NEXT_BIN, 'build'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 1 << 24,
  })
  return dir
})

/** SvelteKit: bench/apps/sveltekit, built with vite (about 25 s on a loaded machine). */
const sveltekitBuild = once('vite build (SvelteKit)', async () => {
  const dir = scratch('sveltekit', 'sveltekit')
  await run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: dir,
    maxBuffer: 1 << 24,
  })
  return dir
})

/** `next start` in the build's directory; the variant is read by the Route Handler at start. */
const nextServer = (variant: string): Extra => ({
  prepare: nextBuild,
  inAppDir: true,
  env: { BENCH_VARIANT: variant, NEXT_TELEMETRY_DISABLED: '1' },
})
const NEXT_START = [process.execPath, NEXT_BIN, 'start', '-H', '127.0.0.1']
const kitServer = (): Extra => ({ prepare: sveltekitBuild })
const kitCommand = node('sveltekit')

/** Next.js and SvelteKit: bare, tessera and the two references each. */
export const BUILT_SERVERS: ServerSpec[] = [
  spec('next', 'bare', 'bare', 'none', NEXT_START, {
    ...nextServer('bare'),
    note: 'Route Handlers (one catch-all app/[...path]/route.ts) under `next start`; tessera wraps each with session.route()',
  }),
  spec('next', 'tessera', 'tessera', 'cookie', NEXT_START, nextServer('tessera')),
  ...references('next', () => NEXT_START, ['read', 'untouched'], nextServer),
  spec('sveltekit', 'bare', 'bare', 'none', kitCommand('bare'), {
    ...kitServer(),
    note: "a `+server.js` endpoint and the `handle` hook, on SvelteKit's built `Server` over @hono/node-server",
  }),
  spec('sveltekit', 'tessera', 'tessera', 'cookie', kitCommand('tessera'), kitServer()),
  ...references('sveltekit', kitCommand, ['read', 'untouched'], kitServer),
]
