/**
 * Store faults against real servers this test starts itself (never the shared ones): stopped,
 * frozen (SIGSTOP: connected but silent) and restarted. Requests get a 503 instead of a crash or a
 * hang, requests that do not use the session keep working, and service resumes by itself.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createStoreEngine, type Store } from 'tessera-session/stores'
import { postgresStore } from 'tessera-session/stores/postgres'
import { redisStore } from 'tessera-session/stores/redis'
import { type Answer, CookieClient, createStoreApp, serveApp } from '../support/app.ts'
import { captureConsoleErrors } from '../support/console.ts'
import { reservePort } from '../support/ports.ts'
import { type Server, startPostgres, startRedis } from '../support/services.ts'
import { serveStoreOn } from './served-store.ts'

const SECRET = 'fault-test-secret-0123456789abcdef0123456789'
// Long enough for a healthy server on a loaded machine (the requests before and after a fault must
// succeed), short enough that the frozen-server cases stay quick.
const TIMEOUT_MS = 3000

/** Asks until the answer has `status`, at most `tries` times; returns the last answer. */
async function until(status: number, ask: () => Promise<Answer>, tries = 80): Promise<Answer> {
  let answer = await ask()
  for (let i = 1; i < tries && answer.status !== status; i++) {
    await sleep(250)
    answer = await ask()
  }
  return answer
}

function faultSuite(
  name: string,
  startServer: () => Promise<Server>,
  makeStore: (url: string) => Promise<Store>,
) {
  describe(`${name} faults`, { timeout: 120_000 }, () => {
    const served = serveStoreOn(startServer, makeStore, { secretKey: SECRET, timeout: TIMEOUT_MS })

    it('answers 503 while the server is stopped, and recovers with the session intact', async (t) => {
      const logged = captureConsoleErrors(t)
      const user = new CookieClient(served.url)
      assert.equal((await user.get('/set?k=cart&v=apple')).status, 200)
      await served.server.stop()
      const started = Date.now()
      const down = await user.get('/get')
      t.diagnostic(`503 after ${Date.now() - started} ms with the server stopped (timeout ${TIMEOUT_MS} ms)`)
      assert.equal(down.status, 503)
      assert.match(String((down.body as { detail: string }).detail), /session store is unavailable/)
      assert.match(logged().join('\n'), /^tessera: session store (failed on|did not answer) get/m)
      assert.equal(
        (await user.get('/untouched')).status,
        200,
        'routes that do not use the session still work',
      )
      await served.server.start()
      const back = await until(200, () => user.get('/get'))
      assert.equal(back.status, 200)
      assert.deepEqual(back.body, { cart: 'apple' })
      assert.equal((await user.get('/set?k=cart&v=pear')).status, 200)
      assert.deepEqual((await user.get('/get')).body, { cart: 'pear' })
    })

    it('answers 503 within the timeout while the server is frozen, and recovers when it thaws', async (t) => {
      const logged = captureConsoleErrors(t)
      const user = new CookieClient(served.url)
      assert.equal((await user.get('/set?k=cart&v=plum')).status, 200)
      served.server.pause()
      try {
        const started = Date.now()
        const answers = await Promise.all([user.get('/get'), user.get('/set?k=x&v=1'), user.get('/get')])
        t.diagnostic(`3 requests answered in ${Date.now() - started} ms with the server frozen`)
        assert.deepEqual(
          answers.map((a) => a.status),
          [503, 503, 503],
        )
        assert.match(logged().join('\n'), new RegExp(`did not answer get within ${TIMEOUT_MS} ms`))
      } finally {
        served.server.resume()
      }
      const back = await until(200, () => user.get('/get'))
      assert.equal(back.status, 200)
      assert.equal((back.body as Record<string, string>).cart, 'plum')
    })
  })
}

faultSuite(
  'redis',
  () => startRedis({ persist: true }),
  async (url) => redisStore({ url, commandTimeout: TIMEOUT_MS }),
)

faultSuite('postgres', startPostgres, async (url) => {
  const store = postgresStore({ connectionString: url, queryTimeout: TIMEOUT_MS })
  await store.migrate()
  return store
})

describe('a store created while its server is down', { timeout: 120_000 }, () => {
  for (const [name, startServer, makeStore] of [
    ['redis', startRedis, async (url: string) => redisStore({ url, commandTimeout: TIMEOUT_MS })],
    [
      'postgres',
      startPostgres,
      async (url: string) =>
        postgresStore({ connectionString: url, queryTimeout: TIMEOUT_MS, createTable: true }),
    ],
  ] as const) {
    it(`${name}: answers 503 until the server comes up, then works without a restart of the app`, async (t) => {
      const logged = captureConsoleErrors(t)
      const server = await startServer()
      await server.stop()
      const store = await makeStore(server.url)
      const app = await serveApp(
        createStoreApp(createStoreEngine({ secretKey: SECRET, store, timeout: TIMEOUT_MS })),
      )
      try {
        const user = new CookieClient(app.url)
        assert.equal((await user.get('/set?k=a&v=1')).status, 503)
        assert.match(logged().join('\n'), /^tessera: session store (failed on|did not answer) set/m)
        await server.start()
        assert.equal((await until(200, () => user.get('/set?k=a&v=1'))).status, 200)
        assert.deepEqual((await user.get('/get')).body, { a: '1' })
      } finally {
        await app.close()
        await store.close?.()
        await server.close()
      }
    })
  }
})

describe('a Redis store whose server never answers', () => {
  it('rejects calls after a short startup grace and lets the process exit once closed', async () => {
    const { spawnSync } = await import('node:child_process')
    const script = new URL('../support/close-dead-redis.ts', import.meta.url).pathname
    const child = spawnSync(
      process.execPath,
      ['--conditions=tessera-session-source', '--import', 'tsx', script],
      {
        env: { ...process.env, DEAD_PORT: String(await reservePort()) },
        timeout: 60_000, // only a guard against a hang: the child needs a few seconds at most
        encoding: 'utf8',
      },
    )
    assert.equal(child.signal, null, 'the process had to be killed: something kept it alive')
    assert.equal(child.status, 0, child.stderr)
    assert.match(child.stdout, /^rejected: /)
  })
})
