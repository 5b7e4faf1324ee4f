/**
 * docs/frameworks.md promises copy-paste runnable quick starts: each `<!-- quickstart: NAME -->` block
 * is written to a file, type-checked (one tsc run over all of them), started as its own process and
 * driven over HTTP.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { reservePort } from './support/ports.ts'
import { frameworkQuickstarts } from './support/quickstarts.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
// One directory per run, two levels below the root as the tsconfig below expects: two runs at once
// must not remove or rewrite each other's files.
mkdirSync(join(root, '.tmp'), { recursive: true })
const dir = mkdtempSync(join(root, '.tmp', 'docs-quickstarts-'))
const SECRET_KEY = 'docs-quickstart-secret-0123456789-abcdefgh'

const quickstarts = frameworkQuickstarts()

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

/** How a quick start runs: Elysia's under Bun (from the npm package's binary), the others under Node with tsx. */
function runner(name: string, file: string): [string, string[]] {
  if (name === 'elysia') return [require.resolve('bun/bin/bun.exe'), ['run', SOURCE, file]]
  return [process.execPath, [SOURCE, '--import', 'tsx', file]]
}

describe('docs/frameworks.md quick starts', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('has one for every framework', () => {
    assert.deepEqual(
      quickstarts.map((q) => q.name),
      ['express', 'fastify', 'koa', 'hono', 'nest', 'h3', 'elysia', 'fetch', 'node'],
    )
  })

  it('type-check', async () => {
    for (const { name, code } of quickstarts) writeFileSync(join(dir, `${name}.ts`), `${code}\n`)
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit']).catch(
      (error: { stdout?: string }) => assert.fail(`tsc failed:\n${error.stdout}`),
    )
  })

  for (const { name, code } of quickstarts) {
    it(`${name}: runs, guards /me, signs in and out`, async () => {
      const file = join(dir, `${name}.ts`)
      writeFileSync(file, `${code}\n`)
      const port = await reservePort()
      const [command, args] = runner(name, file)
      const child = spawn(command, args, {
        cwd: root,
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
