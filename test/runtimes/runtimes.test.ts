/**
 * The core where only Web APIs exist: the fetch adapter bundled by esbuild for the browser platform,
 * served by workerd (Cloudflare's runtime, without `nodejs_compat`) and by Deno (npm and remote
 * modules off, Node's globals removed). Over HTTP on 127.0.0.1: the seed's session round trip, and
 * cookies minted by the Node core read there and the other way round, with the same secret.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { build, type Metafile } from 'esbuild'
import { sealed } from '../../src/codec/sealed.ts'
import { CookieEngine } from '../../src/cookie-engine.ts'

const SECRET = 'runtime-test-secret-0123456789abcdefghijklmnop'
const require = createRequire(import.meta.url)
const here = new URL('.', import.meta.url).pathname

/** A server started for the tests, and how to stop it. */
interface Running {
  url: string
  child: ChildProcess
}

/** Bundles `entry` as the platforms without Node would: browser platform, ES module, no Node built-ins. */
async function bundle(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(here, entry)],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // The repository's sources, as every script here runs them; `#crypto` and `#base64` resolve
    // through package.json `imports` without the "node" condition, to the portable implementations.
    conditions: ['tessera-session-source'],
    metafile: true,
    logLevel: 'silent',
  })
  return result.metafile
}

/** Resolves with the first match of `pattern` in what `stream` prints, or rejects when the child exits. */
function waitFor(child: ChildProcess, stream: NodeJS.ReadableStream, pattern: RegExp, what: string) {
  let seen = ''
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${stderr}`)), 30_000)
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      seen += chunk
      const match = pattern.exec(seen)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited with ${code} before listening:\n${stderr}`))
    })
  })
}

/** workerd serving the Worker bundle on a port of its choosing, reported on its control descriptor. */
async function startWorkerd(dir: string): Promise<Running> {
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2025-06-01",
  bindings = [ (name = "SECRET_KEY", text = ${JSON.stringify(SECRET)}) ],
);
`
  writeFileSync(join(dir, 'config.capnp'), config)
  const binary = (require('workerd') as { default: string }).default
  const child = spawn(binary, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const control = child.stdio[3] as NodeJS.ReadableStream
  const [, port] = await waitFor(child, control, /"port":(\d+)/, 'workerd')
  return { url: `http://127.0.0.1:${port}`, child }
}

/** Deno running the Deno bundle with npm, remote modules and configuration files off. */
async function startDeno(dir: string): Promise<Running> {
  const child = spawn(
    require.resolve('deno/deno'),
    [
      'run',
      '--no-npm',
      '--no-remote',
      '--no-config',
      '--no-lock',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      '--allow-env=SECRET_KEY',
      join(dir, 'deno.js'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SECRET_KEY: SECRET, NO_COLOR: '1' } },
  )
  const [, port] = await waitFor(child, child.stdout as NodeJS.ReadableStream, /listening (\d+)/, 'deno')
  return { url: `http://127.0.0.1:${port}`, child }
}

/** The `name=value` pair of a response's session cookie, or undefined when it sets none. */
function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith('session='))
  return line?.slice(0, line.indexOf(';'))
}

async function get(server: Running, path: string, cookie?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, cookie === undefined ? {} : { headers: { cookie } })
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-runtimes-'))
const servers = new Map<string, Running>()
const bundles = new Map<string, Metafile>()

before(async () => {
  bundles.set('worker', await bundle('worker.ts', join(dir, 'worker.js')))
  bundles.set('deno', await bundle('deno.ts', join(dir, 'deno.js')))
  // The package's main entry too: its whole public surface is portable.
  bundles.set('index', await bundle('../../src/index.ts', join(dir, 'index.js')))
  const [workerd, deno] = await Promise.all([startWorkerd(dir), startDeno(dir)])
  servers.set('workerd', workerd)
  servers.set('deno', deno)
})

after(async () => {
  for (const { child } of servers.values()) {
    if (child.exitCode === null) {
      child.kill()
      await once(child, 'exit')
    }
  }
  rmSync(dir, { recursive: true, force: true })
})

describe('the fetch adapter and the main entry bundled for the browser platform', () => {
  it('holds no Node built-in, and the portable crypto and base64', () => {
    for (const [name, metafile] of bundles) {
      const inputs = Object.keys(metafile.inputs)
      assert.ok(inputs.includes(name === 'index' ? 'src/index.ts' : 'src/adapters/fetch.ts'), name)
      assert.ok(inputs.includes('src/codec/crypto/portable.ts'), `${name}: ${inputs.join(', ')}`)
      assert.ok(inputs.includes('src/codec/base64/portable.ts'), name)
      assert.deepEqual(
        inputs.filter((input) => input.startsWith('node:') || input.endsWith('/node.ts')),
        [],
        name,
      )
      const code = readFileSync(join(dir, `${name}.js`), 'utf8')
      assert.doesNotMatch(code, /from ["']node:|require\(["']node:|\bBuffer\./, name)
    }
  })
})

for (const runtime of ['workerd', 'deno']) {
  describe(`the seed app on ${runtime}`, () => {
    const server = () => servers.get(runtime) as Running

    it('runs without Node globals', async () => {
      const answer = (await (await get(server(), '/__runtime')).json()) as {
        runtime: string
        nodeGlobals: string[]
      }
      assert.match(answer.runtime, new RegExp(`^${runtime}`))
      assert.deepEqual(answer.nodeGlobals, [])
    })

    it('keeps a session over HTTP: create, read, delete', async () => {
      const created = await get(server(), '/create_session')
      assert.equal(await created.json(), 'ok')
      const cookie = sessionCookie(created)
      assert.ok(cookie, 'a session cookie was set')
      assert.equal(await (await get(server(), '/read_session', cookie)).json(), '1234')
      const deleted = await get(server(), '/delete_session', cookie)
      assert.equal(await deleted.json(), '1234')
      assert.equal(sessionCookie(deleted), 'session=null', 'the cookie is cleared')
      assert.equal(await (await get(server(), '/read_session')).json(), null)
      assert.equal((await get(server(), '/delete_session')).status, 404)
    })

    it('reads a cookie minted by the Node core, and its cookies read in the Node core', async () => {
      const node = new CookieEngine<{ my_session?: string }>({ secretKey: SECRET })
      const minted = node.serialize({ my_session: 'from Node: café ✓ 🍪' })
      const nodeCookie = minted.slice(0, minted.indexOf(';'))
      assert.equal(await (await get(server(), '/read_session', nodeCookie)).json(), 'from Node: café ✓ 🍪')

      const theirs = sessionCookie(await get(server(), '/create_session')) as string
      assert.equal(node.open(theirs).session.get('my_session'), '1234')
      // Byte for byte what the Node core writes for the same data at the same second.
      const value = theirs.slice('session='.length)
      const { json, issuedAt } = node.format.decode(value, Math.floor(Date.now() / 1000))
      assert.equal(node.format.encode(json, issuedAt), value)
    })

    it('seals and opens sealed cookies there, and shares them with the Node core both ways', async () => {
      const created = await get(server(), '/sealed/create_session')
      const cookie = sessionCookie(created) as string
      assert.match(cookie, /^session=t1\./)
      assert.equal(await (await get(server(), '/sealed/read_session', cookie)).json(), '1234')
      assert.equal(await (await get(server(), '/read_session', cookie)).json(), null, 'not a signed cookie')
      const node = new CookieEngine<{ my_session?: string }>({ secretKey: SECRET, format: sealed() })
      assert.equal(node.open(cookie).session.get('my_session'), '1234')
      const minted = node.serialize({ my_session: 'sealed by Node: café ✓ 🍪' })
      const nodeCookie = minted.slice(0, minted.indexOf(';'))
      assert.equal(
        await (await get(server(), '/sealed/read_session', nodeCookie)).json(),
        'sealed by Node: café ✓ 🍪',
      )
    })

    it('refuses a cookie signed with another secret', async () => {
      const other = new CookieEngine({ secretKey: 'another-secret-0123456789abcdefghijklmnop' })
      const minted = other.serialize({ my_session: 'forged' })
      assert.equal(
        await (await get(server(), '/read_session', minted.slice(0, minted.indexOf(';')))).json(),
        null,
      )
    })
  })
}

describe('workerd and Deno read each other’s cookies', () => {
  it('a Worker cookie in Deno, a Deno cookie in the Worker', async () => {
    const workerd = servers.get('workerd') as Running
    const deno = servers.get('deno') as Running
    const fromWorker = sessionCookie(await get(workerd, '/create_session'))
    const fromDeno = sessionCookie(await get(deno, '/create_session'))
    assert.equal(await (await get(deno, '/read_session', fromWorker)).json(), '1234')
    assert.equal(await (await get(workerd, '/read_session', fromDeno)).json(), '1234')
  })
})
