/**
 * Faults under load: Redis and PostgreSQL stores serving a steady stream of writes while their server
 * is killed with SIGKILL (no shutdown, no final flush) and started again. Throughout, the app answers
 * every request with 200 or 503, never anything else and never a dropped connection; it serves again
 * by itself once the server is back; and every write it acknowledged (a 200, after the store said
 * yes) is still there afterwards.
 *
 * That last promise needs a durable server, and these are the settings tested:
 * - Redis: `appendonly yes` with `appendfsync always` (each write is in the append-only file before
 *   Redis answers). With Redis's default `appendfsync everysec` a machine crash can lose the last
 *   second of acknowledged writes; with no persistence a restart loses every session.
 * - PostgreSQL: its defaults, `fsync = on` and `synchronous_commit = on` (a commit is answered once
 *   its WAL record is on disk).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Store } from 'tessera-session/stores'
import { postgresStore } from 'tessera-session/stores/postgres'
import { redisStore } from 'tessera-session/stores/redis'
import { captureConsoleErrors } from '../support/console.ts'
import { type Server, startPostgres, startRedis } from '../support/services.ts'
import { startLoad, type Tally, until, Writer } from '../support/writers.ts'
import { serveStoreOn } from './served-store.ts'

const SECRET = 'fault-load-secret-0123456789abcdef0123456789'
const TIMEOUT_MS = 3000
const USERS = 12

function crashSuite(
  name: string,
  startServer: () => Promise<Server>,
  makeStore: (url: string) => Promise<Store>,
) {
  describe(`${name}: SIGKILL under load`, { timeout: 180_000 }, () => {
    const served = serveStoreOn(startServer, makeStore, { secretKey: SECRET, timeout: TIMEOUT_MS })

    it('answers 200 or 503 throughout, recovers by itself, and loses no acknowledged write', async (t) => {
      captureConsoleErrors(t)
      const tally: Tally = { ok: 0, unavailable: 0, other: [] }
      const writers = Array.from({ length: USERS }, () => new Writer(served.url))
      const stop = startLoad(writers, tally)
      try {
        await until(() => writers.every((w) => w.acknowledged >= 3), 60_000, 'three writes per visitor')
        const beforeCrash = tally.ok
        await served.server.crash()
        const crashedAt = Date.now()
        await until(() => tally.unavailable >= USERS, 60_000, 'the app to answer 503')
        const firstUnavailable = Date.now() - crashedAt
        await served.server.start()
        const restartedAt = Date.now()
        for (const w of writers) w.sinceMark = 0
        await until(
          () => writers.every((w) => w.sinceMark >= 2),
          90_000,
          'writes to resume for every visitor',
        )
        t.diagnostic(
          `${beforeCrash} writes acknowledged before the kill; first 503s within ${firstUnavailable} ms; ` +
            `every visitor writing again ${Date.now() - restartedAt} ms after the restart; ` +
            `${tally.ok} answers 200, ${tally.unavailable} answers 503 in all`,
        )
      } finally {
        await stop()
      }
      assert.deepEqual(tally.other, [], 'only 200 and 503 answers, no failed connection')
      for (const w of writers) {
        const read = await w.client.get('/get')
        assert.equal(read.status, 200)
        const stored = Number((read.body as { n?: string }).n)
        assert.ok(
          stored >= w.acknowledged && stored <= w.attempted,
          `acknowledged ${w.acknowledged}, attempted up to ${w.attempted}, stored ${JSON.stringify(read.body)}`,
        )
      }
    })
  })
}

crashSuite(
  'redis (appendonly yes, appendfsync always)',
  () => startRedis({ persist: true }),
  async (url) => redisStore({ url, commandTimeout: TIMEOUT_MS }),
)

crashSuite(
  'postgres (fsync on, synchronous_commit on)',
  () => startPostgres({ durable: true }),
  async (url) => {
    const store = postgresStore({ connectionString: url, queryTimeout: TIMEOUT_MS })
    await store.migrate()
    return store
  },
)
