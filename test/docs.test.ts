/**
 * docs/frameworks.md promises copy-paste runnable quick starts: each `<!-- quickstart: NAME -->` block
 * is written to a file, type-checked (one tsc run over all of them), started as its own process and
 * driven over HTTP. A quick start of several files (`<!-- quickstart: NAME PATH -->`, SvelteKit's) is
 * written into a project scaffold, built, type-checked against the types the build generates, and
 * served.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { reservePort } from './support/ports.ts'
import { frameworkQuickstarts, type Quickstart } from './support/quickstarts.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
// One directory per run, two levels below the root as the tsconfig below expects: two runs at once
// must not remove or rewrite each other's files.
mkdirSync(join(root, '.tmp'), { recursive: true })
const dir = mkdtempSync(join(root, '.tmp', 'docs-quickstarts-'))
const SECRET_KEY = 'docs-quickstart-secret-0123456789-abcdefgh'

const quickstarts = frameworkQuickstarts()
/** The one-file quick starts: each an `app.ts`, type-checked together. */
const singleFile = quickstarts.flatMap(({ name, files: [file, ...others] }) =>
  file !== undefined && others.length === 0 && file.path === 'app.ts' ? [{ name, code: file.code }] : [],
)

/** How long a quick start may take to listen: tsx compiles it first, slowly on a loaded machine. */
const STARTUP_MS = 60_000

async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the quick start exited with ${child.exitCode}:\n${log()}`)
    try {
      await fetch(url)
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`the quick start did not listen within ${STARTUP_MS / 1000} s:\n${log()}`)
}

// The quick starts' own tsconfig: the root's options (decorators for Nest's), for tsc and for tsx,
// which applies a tsconfig only to the files it includes.
const tsconfig = join(dir, 'tsconfig.json')
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: { rootDir: '../..' },
    include: ['*.ts'],
  }),
)

const require = createRequire(import.meta.url)
const SOURCE = '--conditions=tessera-session-source'
const run = promisify(execFile)
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
/** `vite build` of a SvelteKit project takes 20 to 60 s on a loaded machine; this only bounds a hang. */
const BUILD_MS = 180_000

async function typecheck(project: string): Promise<void> {
  await run(process.execPath, [tsc, '-p', project, '--noEmit']).catch((error: { stdout?: string }) =>
    assert.fail(`tsc failed:\n${error.stdout}`),
  )
}

/**
 * SvelteKit's quick start as a project: the scaffold `npx sv create` gives (test/support/
 * sveltekit-scaffold, its vite config pointed at this repository's sources), the quick start's files in it, `vite build`, then a type-check against the
 * types the build generated (`./$types`, `$env/dynamic/private`). Served by `vite preview`.
 */
async function sveltekitProject(quickstart: Quickstart, port: number): Promise<[string, string[]]> {
  const project = join(dir, quickstart.name)
  cpSync(join(root, 'test', 'support', 'sveltekit-scaffold'), project, { recursive: true })
  // In this repository `tessera-session` is its own TypeScript sources (the `tessera-session-source`
  // condition), bundled into the server build; an app gets the built package from npm instead.
  writeFileSync(
    join(project, 'vite.config.js'),
    `import { sveltekit } from '@sveltejs/kit/vite'
import { defaultServerConditions, defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  logLevel: 'warn',
  ssr: {
    noExternal: ['tessera-session'],
    resolve: { conditions: ['tessera-session-source', ...defaultServerConditions] },
  },
})
`,
  )
  for (const { path, code } of quickstart.files) {
    mkdirSync(dirname(join(project, path)), { recursive: true })
    writeFileSync(join(project, path), `${code}\n`)
  }
  await run(process.execPath, [vite, 'build'], { cwd: project, timeout: BUILD_MS }).catch(
    (error: { stdout?: string; stderr?: string }) =>
      assert.fail(`vite build failed:\n${error.stdout}${error.stderr}`),
  )
  // The tsconfig `npx sv create` writes, plus what reading tessera's own sources takes: their
  // condition, `node` (which `bundler` resolution leaves out) and their `.ts` import extensions.
  const compilerOptions = {
    strict: true,
    skipLibCheck: true,
    customConditions: ['tessera-session-source', 'node'],
    allowImportingTsExtensions: true,
  }
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ extends: './.svelte-kit/tsconfig.json', compilerOptions }),
  )
  await typecheck(join(project, 'tsconfig.json'))
  const args = [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort']
  return [process.execPath, args]
}

/**
 * How a quick start runs: SvelteKit's as a built project, Elysia's under Bun (from the npm package's
 * binary), the others under Node with tsx.
 */
async function runner(quickstart: Quickstart, port: number): Promise<[string, string[], string]> {
  if (quickstart.name === 'sveltekit') {
    const [command, args] = await sveltekitProject(quickstart, port)
    return [command, args, join(dir, quickstart.name)]
  }
  const file = join(dir, `${quickstart.name}.ts`)
  writeFileSync(file, `${quickstart.files[0]?.code}\n`)
  if (quickstart.name === 'elysia') return [require.resolve('bun/bin/bun.exe'), ['run', SOURCE, file], root]
  return [process.execPath, [SOURCE, '--import', 'tsx', file], root]
}

describe('docs/frameworks.md quick starts', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('has one for every framework', () => {
    assert.deepEqual(
      quickstarts.map((q) => q.name),
      ['express', 'fastify', 'koa', 'hono', 'nest', 'h3', 'elysia', 'sveltekit', 'fetch', 'node'],
    )
  })

  it('type-check (the one-file quick starts)', async () => {
    for (const { name, code } of singleFile) writeFileSync(join(dir, `${name}.ts`), `${code}\n`)
    await typecheck(tsconfig)
  })

  for (const quickstart of quickstarts) {
    const { name } = quickstart
    it(`${name}: runs, guards /me, signs in and out`, { timeout: BUILD_MS + 120_000 }, async () => {
      const port = await reservePort()
      const [command, args, cwd] = await runner(quickstart, port)
      const child = spawn(command, args, {
        cwd,
        env: { ...process.env, PORT: String(port), SECRET_KEY, TSX_TSCONFIG_PATH: tsconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let log = ''
      child.stdout?.on('data', (chunk) => (log += chunk))
      child.stderr?.on('data', (chunk) => (log += chunk))
      const base = `http://127.0.0.1:${port}`
      try {
        await waitForServer(`${base}/me`, child, () => log)
        let cookie = ''
        const get = async (path: string) => {
          const response = await fetch(base + path, { headers: { cookie } })
          const set = response.headers.getSetCookie().find((c) => c.startsWith('session='))
          if (set !== undefined) cookie = set.split(';')[0] as string
          return { status: response.status, body: (await response.json()) as unknown }
        }
        assert.equal((await get('/me')).status, 401)
        assert.deepEqual(await get('/login?user=ada'), { status: 200, body: { ok: true } })
        assert.deepEqual(await get('/me'), { status: 200, body: { user: 'ada' } })
        await get('/logout')
        assert.equal(cookie, 'session=null')
        cookie = ''
        assert.equal((await get('/me')).status, 401)
      } finally {
        child.kill()
        if (child.exitCode === null) await once(child, 'exit')
      }
    })
  }
})
