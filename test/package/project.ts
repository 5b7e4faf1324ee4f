/**
 * Fresh npm projects in the system's temporary directory, as a user would start one: an empty
 * `package.json` (ESM), then `npm install` of the tarball and the few packages the test names.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const repositoryNodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url))

/**
 * The environment for npm and npx, without the `npm_*` variables of the `npm test` that may be
 * running us: they are that run's configuration (its prefix, its lifecycle event...), not the child's.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))
}

/** Runs npm with `args` in `cwd`; resolves to its stdout, rejects with its output on failure. */
export async function npm(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`)
  }
}

/**
 * `name@version`, with the version this repository has installed (from `installedAs`, for aliases
 * such as `express4`): npm's cache already holds it, so an install needs no network, and every run
 * tests the same versions as the rest of the suite.
 */
export function pinned(name: string, installedAs = name): string {
  const manifest = JSON.parse(readFileSync(join(repositoryNodeModules, installedAs, 'package.json'), 'utf8'))
  return `${name}@${(manifest as { version: string }).version}`
}

/** A project folder with `npm install`ed packages. */
export interface Project {
  dir: string
  remove(): void
}

/**
 * Creates `tessera-session-<label>-XXXXXX` in the temporary directory and installs `packages` (the
 * tarball's path among them) from npm's cache when it can. Install scripts are skipped unless
 * `runScripts`: the tarball has none, and the one native driver gets its addon from
 * {@link reuseBuiltAddon}.
 */
export async function createProject(
  label: string,
  packages: string[],
  { runScripts = false }: { runScripts?: boolean } = {},
): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), `tessera-session-${label}-`))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`)
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', ...(runScripts ? [] : ['--ignore-scripts'])]
  try {
    await npm(['install', ...flags, ...packages], dir)
  } catch (error) {
    remove()
    throw error
  }
  return { dir, remove }
}

/**
 * Copies better-sqlite3's compiled addon from this repository's install into `project`: the same
 * version for the same Node, where compiling it again from source takes about two minutes.
 */
export function reuseBuiltAddon(project: string): void {
  const addon = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
  const target = join(project, 'node_modules', addon)
  rmSync(join(project, 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true })
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(join(repositoryNodeModules, addon), target)
}
