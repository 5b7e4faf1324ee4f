/**
 * The one conformance suite every session store passes: the Store contract first (versions,
 * expiry, touch, per-user index, sweep), then the same store behind the engine over real HTTP
 * (50 concurrent requests on one session, list and revoke a user's sessions).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createStoreEngine, type SessionRecord, type Store } from 'tessera-session/stores'
import { CookieClient, createStoreApp, serveApp } from '../support/app.ts'
import { mergeCases } from './merge-cases.ts'

/**
 * Makes a fresh, empty store for one suite run, reading the suite's clock `now`; `close` releases it
 * (and drops its table or keys).
 */
export type StoreFactory = (now: () => number) => Promise<{ store: Store; close(): Promise<void> }>

const SECRET = 'store-suite-secret-0123456789abcdef0123456789'

/**
 * The suite's clock: it moves only when a test lets time pass, so nothing here depends on how fast
 * the machine runs the suite.
 */
const clock = { ms: Date.UTC(2026, 0, 1) }
const now = () => clock.ms

/**
 * Lets `ms` pass on the suite's clock. A store without `cleanup()` expires records by itself, on its
 * server's own clock (Redis counts a time to live), so for it the time must also pass for real.
 */
async function elapse(store: Store, ms: number): Promise<void> {
  clock.ms += ms
  if (store.cleanup === undefined) await sleep(ms)
}

function record(over: Partial<SessionRecord> = {}): SessionRecord {
  const at = now()
  return {
    data: '{"n":1}',
    version: 1,
    userId: null,
    createdAt: at,
    expiresAt: at + 60_000,
    absoluteExpiresAt: at + 120_000,
    ...over,
  }
}

let counter = 0
const key = () => `key-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`

/** Runs the whole suite against the stores `factory` makes. */
export function storeSuite(name: string, factory: StoreFactory): void {
  describe(`store suite: ${name}`, () => {
    let store: Store
    let close: () => Promise<void>
    before(async () => {
      ;({ store, close } = await factory(now))
    })
    after(async () => close())

    describe('contract', () => {
      it('has no record under an unknown key', async () => {
        assert.equal(await store.get(key()), undefined)
      })

      it('returns what was set, field for field', async () => {
        const k = key()
        const r = record({ data: '{"text":"h\\u00e9llo \u{1F600}","list":[1,2]}', userId: 'u-1' })
        assert.equal(await store.set(k, r), true)
        const got = await store.get(k)
        assert.ok(got)
        assert.equal(got.data, r.data)
        assert.equal(got.version, 1)
        assert.equal(got.userId, 'u-1')
        assert.equal(got.createdAt, r.createdAt)
        assert.equal(got.absoluteExpiresAt, r.absoluteExpiresAt)
        // Redis reports expiry as a time to live, so allow the time the round trip took.
        assert.ok(
          Math.abs(got.expiresAt - r.expiresAt) < 5_000,
          `expiresAt ${got.expiresAt} vs ${r.expiresAt}`,
        )
      })

      it('keeps a large session intact', async () => {
        const k = key()
        const data = JSON.stringify({ blob: 'x\u00e9\u{1F600}'.repeat(50_000) })
        assert.equal(await store.set(k, record({ data })), true)
        assert.equal((await store.get(k))?.data, data)
      })

      it('writes only over the version before (compare-and-set)', async () => {
        const k = key()
        assert.equal(await store.set(k, record()), true)
        assert.equal(
          await store.set(k, record({ data: '{"again":1}' })),
          false,
          'version 1 over a live record',
        )
        assert.equal(await store.set(k, record({ version: 3 })), false, 'skipping a version')
        assert.equal(await store.set(k, record({ version: 2, data: '{"n":2}' })), true)
        assert.equal(await store.set(k, record({ version: 2, data: '{"n":3}' })), false, 'a stale writer')
        const got = await store.get(k)
        assert.equal(got?.version, 2)
        assert.equal(got?.data, '{"n":2}')
        assert.equal(await store.set(key(), record({ version: 2 })), false, 'an update of nothing')
      })

      it('forgets a destroyed record, and destroying a missing one is fine', async () => {
        const k = key()
        await store.set(k, record())
        await store.destroy(k)
        assert.equal(await store.get(k), undefined)
        await store.destroy(k)
        await store.destroy(key())
      })

      it('hides a record once it expires, and lets its key be used again', async () => {
        const k = key()
        await store.set(k, record({ expiresAt: now() + 200 }))
        await elapse(store, 450)
        assert.equal(await store.get(k), undefined)
        assert.equal(await store.set(k, record({ data: '{"reborn":true}' })), true)
        assert.equal((await store.get(k))?.data, '{"reborn":true}')
      })

      it('touch, when present, pushes expiry back without a rewrite', async (t) => {
        if (store.touch === undefined) return t.skip(`${name} has no touch(): the engine rewrites instead`)
        const k = key()
        await store.set(k, record({ expiresAt: now() + 5_000 }))
        await store.touch(k, now() + 60_000)
        const got = await store.get(k)
        assert.equal(got?.version, 1, 'a touch is not a write')
        assert.equal(got?.data, '{"n":1}')
        assert.ok((got?.expiresAt ?? 0) > now() + 50_000, 'the store now expires it a minute from now')
        const nothing = key()
        await store.touch(nothing, now() + 60_000)
        assert.equal(await store.get(nothing), undefined, 'touching nothing creates nothing')
      })

      it('merge, when present, applies top-level changes in place, other values kept exactly', async (t) => {
        if (store.merge === undefined) return t.skip(`${name} has no merge(): the engine compares and sets`)
        const k = key()
        const data = '{"a":1,"b":{"x":[1,"}],\\""]},"big":12345678901234567890,"f":0.1}'
        await store.set(k, record({ data, expiresAt: now() + 5_000 }))
        const set = new Map([
          ['a', '2'],
          ['c', '"new"'],
        ])
        const merged = await store.merge(
          k,
          { set, removed: ['b'] },
          { expiresAt: now() + 60_000, userId: 'u1' },
        )
        assert.equal(merged?.data, '{"a":2,"big":12345678901234567890,"f":0.1,"c":"new"}')
        const got = await store.get(k)
        assert.equal(got?.data, merged?.data)
        assert.equal(got?.version, 2)
        assert.equal(got?.userId, 'u1')
        assert.ok((got?.expiresAt ?? 0) > now() + 50_000)
        const kept = await store.merge(k, { set: new Map(), removed: ['a'] }, { expiresAt: now() + 60_000 })
        assert.equal(kept?.userId, 'u1', 'no userId: the user stays')
        assert.equal(kept?.data, '{"big":12345678901234567890,"f":0.1,"c":"new"}')
        assert.equal(await store.merge(key(), { set, removed: [] }, { expiresAt: now() + 60_000 }), undefined)
      })

      it('the per-user index, when present, follows sets, user changes and destroys', async (t) => {
        if (store.listByUser === undefined) return t.skip(`${name} has no per-user index`)
        const user = key()
        const other = key()
        const [a, b, c] = [key(), key(), key()]
        await store.set(a, record({ userId: user }))
        await store.set(b, record({ userId: user }))
        await store.set(c, record({ userId: other }))
        const keysOf = async (u: string) =>
          (await store.listByUser?.(u))?.map((s) => s.key).sort() ?? assert.fail('listByUser')
        assert.deepEqual(await keysOf(user), [a, b].sort())
        await store.set(b, record({ version: 2, userId: other }))
        assert.deepEqual(await keysOf(user), [a])
        assert.deepEqual(await keysOf(other), [b, c].sort())
        await store.destroy(a)
        assert.deepEqual(await keysOf(user), [])
        const listed = await store.listByUser(other)
        assert.equal(listed.find((s) => s.key === b)?.record.version, 2)
      })

      it('cleanup, when present, sweeps expired records', async (t) => {
        if (store.cleanup === undefined) return t.skip(`${name} expires records by itself`)
        const k = key()
        await store.set(k, record({ expiresAt: now() + 100 }))
        await elapse(store, 300)
        assert.ok((await store.cleanup()) >= 1)
        assert.equal(await store.get(k), undefined)
      })

      it('lets exactly one of 50 racing writers win each version', async () => {
        const k = key()
        await store.set(k, record({ data: '[]' }))
        // Each writer retries on conflict with a fresh read, as the engine does.
        await Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            for (;;) {
              const current = (await store.get(k)) as SessionRecord
              const data = JSON.stringify([...(JSON.parse(current.data) as number[]), i])
              if (await store.set(k, { ...current, data, version: current.version + 1 })) return
              await sleep(Math.random() * 5)
            }
          }),
        )
        const final = await store.get(k)
        assert.equal(final?.version, 51)
        assert.deepEqual(
          (JSON.parse(final?.data ?? '[]') as number[]).sort((x, y) => x - y),
          [...Array(50).keys()],
        )
      })
    })

    mergeCases(name, { store: () => store, now, key, record, elapse, secret: SECRET })

    describe('behind the engine, over HTTP', () => {
      let server: { url: string; close(): Promise<void> }
      let engine: ReturnType<typeof createStoreEngine>
      before(async () => {
        // A generous timeout: 50 requests at once on a loaded machine may queue for a connection.
        engine = createStoreEngine({ secretKey: SECRET, store, now, timeout: 30_000 })
        server = await serveApp(createStoreApp(engine))
      })
      after(async () => server.close())

      it('keeps every change of 50 concurrent requests to one session', async () => {
        const client = new CookieClient(server.url)
        await client.get('/set?k=start&v=1')
        assert.ok(client.cookie)
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => client.get(`/set?k=key${i}&v=${i}`)),
        )
        assert.deepEqual(
          answers.map((a) => a.status),
          Array(50).fill(200),
        )
        const { body } = await client.get('/get')
        const data = body as Record<string, string>
        for (let i = 0; i < 50; i++) assert.equal(data[`key${i}`], String(i), `key${i} was lost`)
        assert.equal(data.start, '1')
      })

      it("lists a user's sessions and revokes one, then all but the current", async (t) => {
        if (store.listByUser === undefined) return t.skip(`${name} has no per-user index`)
        const user = key()
        const devices = [0, 1, 2].map(() => new CookieClient(server.url))
        for (const device of devices) assert.equal((await device.get(`/login?user=${user}`)).status, 200)
        const [laptop, phone, tablet] = devices as [CookieClient, CookieClient, CookieClient]
        const listed = (await laptop.get('/sessions')).body as { handle: string; current: boolean }[]
        assert.equal(listed.length, 3)
        assert.equal(listed.filter((s) => s.current).length, 1)
        const phoneHandle = (
          (await phone.get('/sessions')).body as { handle: string; current: boolean }[]
        ).find((s) => s.current)?.handle
        assert.equal((await laptop.get(`/revoke?handle=${phoneHandle}`)).body, true)
        assert.deepEqual((await phone.get('/get')).body, {}, 'the revoked device is signed out')
        assert.equal(((await laptop.get('/sessions')).body as unknown[]).length, 2)
        assert.equal((await laptop.get('/logout-everywhere')).body, 2)
        assert.deepEqual((await tablet.get('/get')).body, {})
        assert.deepEqual((await laptop.get('/get')).body, {})
      })

      it('refuses a user id with U+0000 at the call, in every store, instead of a store failure', async () => {
        await assert.rejects(engine.revokeAll('ada\u0000x'), /U\+0000/)
        await assert.rejects(engine.listSessions('ada\u0000x'), TypeError)
        const opened = engine.open(undefined)
        opened.session.set('userId', 'ada\u0000x')
        await assert.rejects(async () => opened.commit(), TypeError)
      })
    })
  })
}
