/**
 * Each adapter installs with only its framework: a fresh project gets the packed tarball and one
 * framework (or one store driver, under the stores quick start's Hono), runs the docs' quick start for
 * it, and a session makes a round trip over HTTP: set, then read back with the cookie.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import pg from 'pg'
import { cookiePair, request, waitForHttp } from '../support/http.ts'
import { reservePort } from '../support/ports.ts'
import { frameworkQuickstart, type QuickstartStore, storesQuickstart } from '../support/quickstarts.ts'
import { databaseUrl, redisUrl, uniqueName } from '../support/services.ts'
import { createProject, pinned, reuseBuiltAddon } from './project.ts'
import { packedTarball } from './tarball.ts'

const SECRET_KEY = 'package-test-secret-0123456789-abcdefghij'
const TSX = import.meta.resolve('tsx')

/** A running quick start. */
interface RunningApp {
  url: string
  stop(): Promise<void>
}

/** Runs `app.ts` in `dir` as the docs say (`npx tsx app.ts`, here this repository's tsx) on a free port. */
async function startApp(dir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await reservePort()
  const child = spawn(process.execPath, ['--import', TSX, 'app.ts'], {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), SECRET_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout.on('data', (chunk) => (log += chunk))
  child.stderr.on('data', (chunk) => (log += chunk))
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

/** Signs in through `/login?user=ada`, then reads the user back from `/me` with the cookie it got. */
async function frameworkRoundTrip(url: string): Promise<void> {
  const cookie = cookiePair(await request(`${url}/login?user=ada`))
  assert.deepEqual((await request(`${url}/me`, { cookie })).body, { user: 'ada' })
}

/** The stores quick start's `POST /login` (user alice), `GET /` with the cookie, then `POST /logout`. */
async function storesRoundTrip(url: string): Promise<void> {
  const cookie = cookiePair(await request(`${url}/login`, { json: {} }))
  assert.deepEqual((await request(url, { cookie })).body, { user: 'alice' })
  assert.equal((await request(`${url}/logout`, { cookie, json: {} })).status, 200)
}

const hono = [pinned('hono'), pinned('@hono/node-server')]

/** The quick starts of docs/frameworks.md, each with what its section says to install. */
const frameworks = [
  { label: 'express-5', quickstart: 'express', packages: [pinned('express')] },
  { label: 'express-4', quickstart: 'express', packages: [pinned('express', 'express4')] },
  { label: 'fastify', quickstart: 'fastify', packages: [pinned('fastify')] },
  { label: 'koa', quickstart: 'koa', packages: [pinned('koa')] },
  { label: 'hono', quickstart: 'hono', packages: hono },
  // The fetch quick start serves through @hono/node-server on Node, and that needs hono as its peer.
  { label: 'fetch', quickstart: 'fetch', packages: hono },
  { label: 'node', quickstart: 'node', packages: [] },
]

/** docs/stores.md's quick start on each store, with Hono and that store's driver only. */
const stores: { store: QuickstartStore; driver: string }[] = [
  { store: 'sqlite', driver: pinned('better-sqlite3') },
  { store: 'redis', driver: pinned('redis') },
  { store: 'postgres', driver: pinned('pg') },
]

/** Environment for the store quick starts: where the server is, and for PostgreSQL a schema of its own. */
async function storeEnv(
  store: QuickstartStore,
): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (store === 'redis') return { env: { REDIS_URL: await redisUrl() }, cleanup: async () => {} }
  if (store === 'postgres') {
    const url = await databaseUrl()
    const schema = uniqueName('package_quickstart')
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(sql).finally(() => client.end())
    }
    await admin(`CREATE SCHEMA ${schema}`)
    return {
      // node-postgres reads PGOPTIONS: the quick start's table goes into the schema dropped afterwards.
      env: { DATABASE_URL: url, PGOPTIONS: `-c search_path=${schema}` },
      cleanup: () => admin(`DROP SCHEMA ${schema} CASCADE`),
    }
  }
  return { env: {}, cleanup: async () => {} }
}

describe('the tarball in a project with only one framework or driver', {
  concurrency: 3,
  timeout: 600_000,
}, () => {
  let tarball = ''
  before(async () => {
    tarball = await packedTarball()
  })

  for (const { label, quickstart, packages } of frameworks) {
    it(`${label}: the ${quickstart} quick start keeps a session`, async () => {
      const project = await createProject(label, [tarball, ...packages])
      try {
        writeFileSync(join(project.dir, 'app.ts'), `${frameworkQuickstart(quickstart)}\n`)
        const app = await startApp(project.dir)
        try {
          await frameworkRoundTrip(app.url)
        } finally {
          await app.stop()
        }
      } finally {
        project.remove()
      }
    })
  }

  for (const { store, driver } of stores) {
    it(`${store}: the stores quick start keeps a session`, async () => {
      const project = await createProject(store, [tarball, ...hono, driver])
      const { env, cleanup } = await storeEnv(store)
      try {
        if (store === 'sqlite') reuseBuiltAddon(project.dir)
        writeFileSync(join(project.dir, 'app.ts'), `${storesQuickstart(store)}\n`)
        const app = await startApp(project.dir, env)
        try {
          await storesRoundTrip(app.url)
        } finally {
          await app.stop()
        }
      } finally {
        await cleanup()
        project.remove()
      }
    })
  }
})
