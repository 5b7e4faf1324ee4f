/**
 * The demo as users start it: `npm start` (through npm and a shell), stopped by a signal; and what it
 * loads, so that it never needs better-sqlite3 (which may have to be compiled at install).
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { request, waitForHttp } from '../../test/support/http.ts'
import { reservePort } from '../../test/support/ports.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SECRET_KEY = 'demo-server-test-secret-0123456789abcdef'

/** Starts `command` in a process group of its own, so the test can see every process it leaves. */
function startGroup(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  return { child, output: () => output }
}

/** Whether any process of the group led by `pgid` is still there. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await Promise.race([
    once(child, 'exit'),
    sleep(timeoutMs).then(() => assert.fail(`still running after ${timeoutMs} ms`)),
  ])
}

/** Kills whatever the test left behind, so a failure does not leave a server on the machine. */
function killGroup(pgid: number | undefined): void {
  if (pgid !== undefined && groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
}

describe('npm start', { timeout: 60_000 }, () => {
  it('stops on SIGTERM sent to the npm process: the port closes and no process is left', async () => {
    const port = await reservePort()
    const { child, output } = startGroup('npm', ['start'], { PORT: String(port), SECRET_KEY })
    try {
      await waitForHttp(`http://127.0.0.1:${port}/read_session`, 30_000, output)
      assert.equal((await request(`http://127.0.0.1:${port}/create_session`)).body, 'ok')
      child.kill('SIGTERM') // the npm process only, as `kill -TERM <pid>` does
      await exited(child, 10_000)
      for (let i = 0; i < 50 && groupAlive(child.pid as number); i++) await sleep(100)
      assert.equal(groupAlive(child.pid as number), false, `processes left behind:\n${output()}`)
      await assert.rejects(fetch(`http://127.0.0.1:${port}/read_session`), 'the port no longer answers')
      assert.match(output(), /tessera demo: SIGTERM, stopping/)
    } finally {
      killGroup(child.pid)
    }
  })

  it('stops on SIGINT (Ctrl-C reaches the whole group), once', async () => {
    const port = await reservePort()
    const { child, output } = startGroup('npm', ['start'], { PORT: String(port), SECRET_KEY })
    try {
      await waitForHttp(`http://127.0.0.1:${port}/read_session`, 30_000, output)
      process.kill(-(child.pid as number), 'SIGINT')
      await exited(child, 10_000)
      for (let i = 0; i < 50 && groupAlive(child.pid as number); i++) await sleep(100)
      assert.equal(groupAlive(child.pid as number), false, `processes left behind:\n${output()}`)
      assert.equal(output().match(/stopping/g)?.length, 1, output())
    } finally {
      killGroup(child.pid)
    }
  })

  it('without SECRET_KEY warns that sessions will not survive a restart, and serves the endpoints', async () => {
    const port = await reservePort()
    const env: NodeJS.ProcessEnv = { PORT: String(port), SECRET_KEY: '' }
    const { child, output } = startGroup(
      process.execPath,
      ['--conditions=tessera-session-source', '--import', 'tsx', 'examples/demo/server.ts'],
      env,
    )
    try {
      await waitForHttp(`http://127.0.0.1:${port}/read_session`, 20_000, output)
      assert.match(output(), /SECRET_KEY is not set/)
      assert.match(output(), /will NOT survive a restart/)
      assert.equal((await request(`http://127.0.0.1:${port}/create_session`)).body, 'ok')
    } finally {
      child.kill('SIGTERM')
      await exited(child, 10_000)
      killGroup(child.pid)
    }
  })

  it('a short SECRET_KEY without ALLOW_WEAK_SECRET exits 1 with the fix, no stack trace', async () => {
    const { child, output } = startGroup(
      process.execPath,
      ['--conditions=tessera-session-source', '--import', 'tsx', 'examples/demo/server.ts'],
      { PORT: String(await reservePort()), SECRET_KEY: 'fastapi-secret' },
    )
    try {
      await exited(child, 20_000)
      assert.equal(child.exitCode, 1, output())
      assert.match(output(), /^tessera demo: secretKey: the signing secret is 14 characters/)
      assert.match(output(), /ALLOW_WEAK_SECRET=1/)
      assert.doesNotMatch(output(), /\n +at /)
    } finally {
      killGroup(child.pid)
    }
  })
})

describe('the demo’s imports', () => {
  it('never load better-sqlite3, so npm start works where it failed to build', async () => {
    // A resolve hook refuses better-sqlite3; the sqlite store is imported last to show the hook works.
    const dir = mkdtempSync(join(tmpdir(), 'tessera-demo-imports-'))
    try {
      writeFileSync(
        join(dir, 'hook.mjs'),
        `export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3') throw new Error('better-sqlite3 was imported')
  return next(specifier, context)
}\n`,
      )
      writeFileSync(
        join(dir, 'register.mjs'),
        "import { register } from 'node:module'\nregister('./hook.mjs', import.meta.url)\n",
      )
      const server = pathToFileURL(join(root, 'examples/demo/server.ts')).href
      const sqlite = pathToFileURL(join(root, 'src/stores/sqlite.ts')).href
      // Importing server.ts starts the demo (on a port the system picks); the script then exits.
      const script = `
await import(${JSON.stringify(server)})
let blocked = false
try { await import(${JSON.stringify(sqlite)}) } catch (error) { blocked = /better-sqlite3 was imported/.test(String(error)) }
console.log(JSON.stringify({ blocked }))
process.exit(0)`
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--conditions=tessera-session-source',
          '--import',
          'tsx',
          '--import',
          pathToFileURL(join(dir, 'register.mjs')).href,
          '--input-type=module',
          '--eval',
          script,
        ],
        { cwd: root, env: { ...process.env, SECRET_KEY, PORT: '0', HOST: '127.0.0.1' } },
      )
      assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1) as string), { blocked: true })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
