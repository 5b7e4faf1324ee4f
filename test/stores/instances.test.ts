/**
 * Two app processes share one Redis (and one PostgreSQL, and one SQLite file on one machine): a
 * session created on one is read, changed and revoked on the other, as behind a load balancer.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { postgresStore } from 'tessera-session/stores/postgres'
import { CookieClient } from '../support/app.ts'
import { databaseUrl, deleteRedisKeys, redisUrl, uniqueName } from '../support/services.ts'

const INSTANCE = fileURLToPath(new URL('../support/instance.ts', import.meta.url))

/** Starts one instance and resolves to its URL. */
async function startInstance(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--conditions=tessera-session-source', '--import', 'tsx', INSTANCE],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`instance exited with code ${code} before listening`)
  })
  const listening = (async () => {
    for await (const line of lines) if (line.startsWith('listening ')) return line.slice('listening '.length)
    throw new Error('instance closed its output before listening')
  })()
  const url = await Promise.race([listening, exited])
  return { url, child }
}

async function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

function twoInstances(
  name: string,
  setup: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>,
) {
  describe(`two app processes on one ${name}`, { timeout: 120_000 }, () => {
    let a: { url: string; child: ChildProcess }
    let b: { url: string; child: ChildProcess }
    let cleanup: () => Promise<void>
    before(async () => {
      const shared = await setup()
      cleanup = shared.cleanup
      const env = { ...shared.env, SECRET: randomBytes(32).toString('base64') }
      ;[a, b] = await Promise.all([startInstance(env), startInstance(env)])
    })
    after(async () => {
      await Promise.all([a && stopInstance(a.child), b && stopInstance(b.child)])
      await cleanup()
    })

    it('reads, changes and revokes on one instance a session created on the other', async () => {
      const user = uniqueName('user')
      const laptop = new CookieClient(a.url)
      assert.equal((await laptop.get(`/login?user=${user}`)).status, 200)
      assert.equal((await laptop.get('/set?k=cart&v=apple')).status, 200)

      // Read and changed on B with the cookie A issued.
      assert.deepEqual((await laptop.get('/get', b.url)).body, { userId: user, cart: 'apple' })
      assert.equal((await laptop.get('/set?k=cart&v=pear', b.url)).status, 200)
      assert.deepEqual((await laptop.get('/get', a.url)).body, { userId: user, cart: 'pear' })

      // A second device signs in on B; both instances list both sessions.
      const phone = new CookieClient(b.url)
      assert.equal((await phone.get(`/login?user=${user}`)).status, 200)
      assert.equal(((await laptop.get('/sessions', a.url)).body as unknown[]).length, 2)
      assert.equal(((await phone.get('/sessions', b.url)).body as unknown[]).length, 2)

      // "Log out everywhere" on B ends the session created on A.
      assert.equal((await phone.get('/logout-everywhere', b.url)).body, 2)
      assert.deepEqual((await laptop.get('/get', a.url)).body, {})
      assert.deepEqual((await phone.get('/get', a.url)).body, {})
    })
  })
}

twoInstances('Redis', async () => {
  const url = await redisUrl()
  const prefix = `${uniqueName('instances')}:`
  return {
    env: { STORE: 'redis', STORE_URL: url, PREFIX: prefix },
    cleanup: () => deleteRedisKeys(url, prefix),
  }
})

twoInstances('PostgreSQL', async () => {
  const url = await databaseUrl()
  const table = uniqueName('instances')
  const store = postgresStore({ connectionString: url, table, sweepInterval: 0 })
  await store.migrate()
  await store.close()
  return {
    env: { STORE: 'postgres', STORE_URL: url, TABLE: table },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP TABLE ${table}`)
      await client.end()
    },
  }
})

twoInstances('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-instances-'))
  return {
    env: { STORE: 'sqlite', STORE_URL: join(dir, 'sessions.db') },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
})
