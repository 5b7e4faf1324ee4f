/**
 * The docs' quick starts as a user runs them in a fresh project (see ./project.ts): written into it,
 * built where the framework builds, and started on a reserved port of 127.0.0.1 with the project's
 * own framework binaries.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { waitForHttp } from '../support/http.ts'
import { reservePort } from '../support/ports.ts'
import type { QuickstartFile } from '../support/quickstarts.ts'

export const SECRET_KEY = 'package-test-secret-0123456789-abcdefghij'
const TSX = import.meta.resolve('tsx')
const root = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)
const run = promisify(execFile)
/** A `vite build` or `next build` on two loaded cores takes one to three minutes; this bounds a hang. */
const BUILD_MS = 300_000

/** A running quick start. */
export interface RunningApp {
  url: string
  stop(): Promise<void>
}

/** Writes `files` into the project at `dir`. */
export function writeFiles(dir: string, files: QuickstartFile[]): void {
  for (const { path, code } of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), `${code}\n`)
  }
}

/** Runs a command of the project in `dir` (a framework's build); rejects with its output. */
export async function build(dir: string, command: string[]): Promise<void> {
  const [script = '', ...args] = command
  try {
    await run(process.execPath, [join(dir, script), ...args], {
      cwd: dir,
      env: { ...process.env, SECRET_KEY, NEXT_TELEMETRY_DISABLED: '1' },
      timeout: BUILD_MS,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command.join(' ')} failed in ${dir}:\n${stdout ?? ''}${stderr ?? ''}`)
  }
}

/**
 * How a quick start is started on `port`, in the project's folder: `app.ts` under tsx (the docs'
 * `npx tsx app.ts`, here this repository's tsx) or Bun (this repository's `bun` npm package), or a
 * built project served by its framework's binary.
 */
export type Launch = { kind: 'tsx' } | { kind: 'bun' } | { kind: 'bin'; args: (port: number) => string[] }

/** Starts the quick start in `dir` as `launch` says, and waits until it answers. */
export async function startApp(
  dir: string,
  launch: Launch,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const port = await reservePort()
  const [command, args] =
    launch.kind === 'tsx'
      ? [process.execPath, ['--import', TSX, 'app.ts']]
      : launch.kind === 'bun'
        ? [require.resolve('bun/bin/bun.exe'), ['run', 'app.ts']]
        : [process.execPath, launch.args(port)]
  const child: ChildProcess = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), SECRET_KEY, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (chunk) => (log += chunk))
  child.stderr?.on('data', (chunk) => (log += chunk))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill()
    await once(child, 'exit')
  }
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(url, 60_000, () => log)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}

/** The project scaffold of SvelteKit's quick start (what `npx sv create` gives), copied into `dir`. */
export function sveltekitScaffold(dir: string): void {
  cpSync(join(root, 'test', 'support', 'sveltekit-scaffold'), dir, { recursive: true })
}

/**
 * What `npx create-next-app` gives the Next.js quick start and the docs leave out: the root layout,
 * and a tsconfig (create-next-app's, with `allowImportingTsExtensions` for the docs' `.ts` imports).
 */
export function nextScaffold(dir: string): void {
  cpSync(join(root, 'test', 'frameworks', 'next', 'app', 'app', 'layout.tsx'), join(dir, 'app', 'layout.tsx'))
  const compilerOptions = {
    target: 'ES2017',
    lib: ['dom', 'dom.iterable', 'esnext'],
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'preserve',
    allowImportingTsExtensions: true,
    plugins: [{ name: 'next' }],
  }
  const tsconfig = {
    compilerOptions,
    include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'],
    exclude: ['node_modules'],
  }
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
}
