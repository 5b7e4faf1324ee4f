import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from 'tessera-session'
import { memoryStore, type SessionRecord } from 'tessera-session/stores'

// Every store here reads a clock that only the test moves: records live 1 s, and a loaded machine
// can take longer than that to run a test.
const NOW = 1_700_000_000_000
const fixedClock = () => NOW

const record = (now: number, userId: string | null = null): SessionRecord => ({
  data: '{}',
  version: 1,
  userId,
  createdAt: now,
  expiresAt: now + 1000,
  absoluteExpiresAt: now + 2000,
})

describe('memory store', () => {
  it('holds at most maxEntries sessions, dropping the oldest first', async () => {
    const store = memoryStore({ maxEntries: 3, sweepInterval: 0, now: fixedClock })
    for (let i = 0; i < 5; i++) await store.set(`k${i}`, record(NOW, 'u'))
    assert.equal(store.size, 3)
    assert.equal(await store.get('k0'), undefined)
    assert.equal(await store.get('k1'), undefined)
    assert.ok(await store.get('k4'))
    assert.deepEqual((await store.listByUser('u')).map((s) => s.key).sort(), ['k2', 'k3', 'k4'])
  })

  it('does not grow past maxEntries under a flood of new sessions', async () => {
    const store = memoryStore({ maxEntries: 1000, sweepInterval: 0, now: fixedClock })
    for (let i = 0; i < 20_000; i++) await store.set(`flood${i}`, record(NOW, `user${i}`))
    assert.equal(store.size, 1000)
  })

  it('sweeps expired sessions before evicting live ones', async () => {
    let now = NOW
    const store = memoryStore({ maxEntries: 2, sweepInterval: 0, now: () => now })
    await store.set('old', record(now))
    await store.set('live', { ...record(now), expiresAt: now + 10_000 })
    now += 5000
    await store.set('new', record(now))
    assert.ok(await store.get('live'), 'the expired one made room, not the live one')
    assert.equal(await store.cleanup(), 0)
  })

  it('hands out copies: changing a returned record changes nothing stored', async () => {
    const store = memoryStore({ sweepInterval: 0, now: fixedClock })
    await store.set('k', record(NOW))
    const got = (await store.get('k')) as SessionRecord
    got.data = '{"mutated":true}'
    assert.equal((await store.get('k'))?.data, '{}')
  })

  it('keeps every field of every session through growth and slot reuse', async () => {
    const store = memoryStore({ sweepInterval: 0, now: fixedClock })
    const of = (i: number): SessionRecord => ({
      data: `{"i":${i}}`,
      version: 1,
      userId: i % 3 === 0 ? null : `u${i % 5}`,
      createdAt: NOW - i,
      expiresAt: NOW + 1000 + i,
      absoluteExpiresAt: NOW + 2000 + i,
    })
    for (let i = 0; i < 300; i++) await store.set(`k${i}`, of(i))
    for (let i = 0; i < 300; i += 2) await store.destroy(`k${i}`)
    for (let i = 300; i < 450; i++) await store.set(`k${i}`, of(i)) // into the freed slots
    for (let i = 0; i < 450; i++) {
      assert.deepEqual(await store.get(`k${i}`), i < 300 && i % 2 === 0 ? undefined : of(i), `k${i}`)
    }
    const listed = await store.listByUser('u1')
    assert.deepEqual(
      listed.map((s) => s.key).sort(),
      [...Array(450).keys()]
        .filter((i) => i % 3 !== 0 && i % 5 === 1 && !(i < 300 && i % 2 === 0))
        .map((i) => `k${i}`)
        .sort(),
    )
    for (const { key, record } of listed) assert.deepEqual(record, of(Number(key.slice(1))))
  })

  it('refuses a bad maxEntries at setup', () => {
    assert.throws(() => memoryStore({ maxEntries: 0 }), ConfigError)
  })
})
