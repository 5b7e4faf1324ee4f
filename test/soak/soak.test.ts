/**
 * The soak command at a small size, so the default run keeps it working: the demo app on each store
 * answers every request correctly, and its sessions are swept once they expire. The full size
 * (1,000,000 requests over 100,000 sessions) runs with `npm run soak`; its record is
 * bench/results/soak.md.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { soak } from '../../bench/soak/run.ts'

describe('soak (small size)', { timeout: 180_000 }, () => {
  for (const store of ['memory', 'sqlite'] as const) {
    it(`${store}: every answer right, RSS under the bound, the store empties itself after the idle timeout`, async (t) => {
      const record = await soak({
        store,
        requests: 1000,
        sessions: 100,
        connections: 8,
        // A small window, so a session's visits are well inside the idle timeout however slow the machine.
        window: 20,
        idle: 5,
        sweep: 1,
        rssLimitMb: 400,
        maxSeconds: 150,
      })
      t.diagnostic(
        `${record.load.requests} requests in ${record.load.seconds} s, RSS peak ${record.rss.peakMb} MB, ` +
          `store peak ${record.storeSize.peak} -> ${record.storeSize.afterExpiry}`,
      )
      assert.deepEqual(record.failures, [])
      assert.equal(record.load.requests, 1000)
      assert.equal(record.load.sessions, 100)
      assert.ok(record.storeSize.peak > 0)
    })
  }
})
