/**
 * The Redis store's own client bounds the commands waiting on a frozen Redis (SIGSTOP: connected,
 * silent): past `maxPendingCommands`, a call fails at once instead of queueing, and the waiting ones
 * are answered when Redis thaws. The server is this test's own, never the shared one.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ConfigError } from 'tessera-session'
import { redisStore } from 'tessera-session/stores/redis'
import { type Server, startRedis } from '../support/servers.ts'

const record = (now: number) => ({
  data: '{"user":"alice"}',
  version: 1,
  userId: null,
  createdAt: now,
  expiresAt: now + 60_000,
  absoluteExpiresAt: now + 120_000,
})

describe('redis store: maxPendingCommands', { timeout: 60_000 }, () => {
  let server: Server
  before(async () => {
    server = await startRedis()
  })
  after(async () => {
    await server.close()
  })

  it('refuses a command past the limit while Redis is frozen, then answers the waiting ones', async () => {
    const store = redisStore({ url: server.url, maxPendingCommands: 3 })
    try {
      assert.ok(await store.set('k', record(Date.now())))
      server.pause()
      let waiting: Promise<unknown>[] = []
      try {
        waiting = [store.get('k'), store.get('k'), store.get('k')]
        await assert.rejects(store.get('k'), /not answered 3 commands \(maxPendingCommands\)/)
      } finally {
        server.resume()
      }
      const answers = (await Promise.all(waiting)) as { data: string }[]
      assert.deepEqual(
        answers.map((a) => a.data),
        Array(3).fill('{"user":"alice"}'),
      )
      // Answered commands no longer count: the store takes calls again.
      assert.equal(((await store.get('k')) as { data: string }).data, '{"user":"alice"}')
    } finally {
      await store.close()
    }
  })

  it('rejects a limit that is not a whole number above 0', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => redisStore({ url: server.url, maxPendingCommands: bad }), ConfigError)
    }
  })
})
