/**
 * The store suite's cases for `Store.merge`, for every store that has it: what two racing requests
 * leave behind, that a session gone is not brought back, that values come back exactly, and that the
 * merge path ends where the engine's compare-and-set path ends for the same requests.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseSessionJson, type Session } from 'tessera-session'
import { createStoreEngine, type SessionRecord, type Store } from 'tessera-session/stores'

/** What the cases need from the suite: its store, its clock, fresh keys and records. */
export interface MergeCaseContext {
  store(): Store
  now(): number
  key(): string
  record(over?: Partial<SessionRecord>): SessionRecord
  /** Lets `ms` pass on the suite's clock (and for real, for a store that counts its own time to live). */
  elapse(store: Store, ms: number): Promise<void>
  secret: string
}

type Engine = ReturnType<typeof createStoreEngine>
const cookieOf = (setCookie: string) => setCookie.slice(0, setCookie.indexOf(';'))

/** One request: load the session of `cookie`, run `change`, commit; resolves to the cookie after it. */
async function request(
  engine: Engine,
  cookie: string | undefined,
  change: (s: Session) => void,
): Promise<string | undefined> {
  const opened = engine.open(cookie)
  await opened.session.load()
  change(opened.session)
  const result = await opened.commit()
  return result.setCookie === undefined ? cookie : cookieOf(result.setCookie)
}

/** `store` without `merge`: the engine then compares and sets. */
function withoutMerge(store: Store): Store {
  const bound: Store = {
    get: store.get.bind(store),
    set: store.set.bind(store),
    destroy: store.destroy.bind(store),
  }
  if (store.touch) bound.touch = store.touch.bind(store)
  if (store.listByUser) bound.listByUser = store.listByUser.bind(store)
  return bound
}

/** Values the engine writes exactly only through its exact codec (bigint, huge and tiny floats). */
const EXACT: Record<string, unknown> = {
  big: 2n ** 64n + 1n,
  negative: -(2n ** 70n),
  huge: 1e21,
  max: Number.MAX_VALUE,
  tiny: 5e-324,
  nested: { n: null, list: [1.5, 'a\u0000b', '\ud800', '😀'], deep: { big: 12345678901234567890n } },
  nothing: null,
}

export function mergeCases(name: string, ctx: MergeCaseContext): void {
  describe('merge, when present', () => {
    const skipless = (t: { skip(reason: string): void }) => {
      if (ctx.store().merge !== undefined) return false
      t.skip(`${name} has no merge(): the engine compares and sets`)
      return true
    }
    const engineOf = (store: Store) =>
      createStoreEngine({ secretKey: ctx.secret, store, now: ctx.now, timeout: 30_000 })
    const stored = async (store: Store, user: string) => {
      const [found] = (await store.listByUser?.(user)) ?? assert.fail('listByUser')
      assert.ok(found, `a session of ${user}`)
      return found.record
    }

    it('keeps both keys when two merges of one session race', async (t) => {
      if (skipless(t)) return
      const store = ctx.store()
      const k = ctx.key()
      await store.set(k, ctx.record({ data: '{"a":1}' }))
      const expiresAt = ctx.now() + 60_000
      const [one, two] = await Promise.all([
        store.merge?.(k, { set: new Map([['x', '1']]), removed: [] }, { expiresAt }),
        store.merge?.(k, { set: new Map([['y', '2']]), removed: ['a'] }, { expiresAt }),
      ])
      assert.deepEqual([one?.version, two?.version].sort(), [2, 3])
      const got = await store.get(k)
      assert.equal(got?.version, 3)
      assert.deepEqual(JSON.parse(got?.data ?? ''), { x: 1, y: 2 })
    })

    it('two requests that loaded the same session keep both changes, a delete included', async (t) => {
      if (skipless(t)) return
      const engine = engineOf(ctx.store())
      const user = ctx.key()
      const cookie = await request(engine, undefined, (s) => {
        s.set('userId', user)
        s.set('keep', 1)
        s.set('drop', 2)
      })
      // Both load before either commits: each writes over a version the other has replaced.
      const first = engine.open(cookie)
      const second = engine.open(cookie)
      await Promise.all([first.session.load(), second.session.load()])
      first.session.set('mine', 'first')
      second.session.delete('drop')
      await Promise.all([first.commit(), second.commit()])
      const record = await stored(ctx.store(), user)
      assert.deepEqual(parseSessionJson(record.data), { userId: user, keep: 1, mine: 'first' })
      assert.equal(record.version, 3)
    })

    it('does not bring back a destroyed, revoked or expired session', async (t) => {
      if (skipless(t)) return
      const store = ctx.store()
      const change = { set: new Map([['x', '1']]), removed: [] }
      const k = ctx.key()
      await store.set(k, ctx.record())
      await store.destroy(k)
      assert.equal(await store.merge?.(k, change, { expiresAt: ctx.now() + 60_000 }), undefined)
      assert.equal(await store.get(k), undefined, 'destroyed stays destroyed')
      const expired = ctx.key()
      await store.set(expired, ctx.record({ expiresAt: ctx.now() + 200 }))
      await ctx.elapse(store, 450)
      assert.equal(await store.merge?.(expired, change, { expiresAt: ctx.now() + 60_000 }), undefined)
      assert.equal(await store.get(expired), undefined, 'expired stays expired')

      // A request that loaded the session before "log out everywhere" commits after it.
      const engine = engineOf(store)
      const user = ctx.key()
      const cookie = await request(engine, undefined, (s) => s.set('userId', user))
      const late = engine.open(cookie)
      await late.session.load()
      assert.equal(await engine.revokeAll(user), 1)
      late.session.set('after', 'revoke')
      await late.commit()
      assert.deepEqual(await store.listByUser?.(user), [], 'no session of the user came back')
      const again = engine.open(cookie)
      await again.session.load()
      assert.deepEqual(again.session.data, {}, 'the revoked cookie opens an empty session')
    })

    it('writes values exactly as the engine stores them (bigint, huge and tiny numbers, null)', async (t) => {
      if (skipless(t)) return
      const engine = engineOf(ctx.store())
      const user = ctx.key()
      const cookie = await request(engine, undefined, (s) => s.set('userId', user))
      await request(engine, cookie, (s) => {
        for (const [k, v] of Object.entries(EXACT)) s.set(k, v)
      })
      const reader = engine.open(cookie)
      await reader.session.load()
      assert.deepEqual(reader.session.data, { userId: user, ...EXACT })
      // Untouched members keep their text through a later merge of another key.
      const before = (await stored(ctx.store(), user)).data
      await request(engine, cookie, (s) => s.set('later', true))
      assert.equal((await stored(ctx.store(), user)).data, `${before.slice(0, -1)},"later":true}`)
    })

    it('ends where compare-and-set ends, for the same requests', async (t) => {
      if (skipless(t)) return
      const finals: { data: string; version: number; userId: string | null }[] = []
      // One user for both runs: each run ends by revoking its session.
      const user = ctx.key()
      for (const store of [ctx.store(), withoutMerge(ctx.store())]) {
        const engine = engineOf(store)
        let cookie = await request(engine, undefined, (s) => {
          s.set('userId', 'anonymous-then-signed-in')
          s.set('cart', { items: [1, 2], note: 'x' })
          s.set('gone', 1)
        })
        cookie = await request(engine, cookie, (s) => s.set('userId', user))
        cookie = await request(engine, cookie, (s) => {
          s.set('cart', { total: 3 }) // replaced whole: not merged into the old object
          s.set('flag', null) // a key set to null stays, holding null
          s.delete('gone')
          for (const [k, v] of Object.entries(EXACT)) s.set(k, v)
        })
        cookie = await request(engine, cookie, (s) => {
          s.set('big', 7n)
          s.set('weird "key".with\\dots\u0000', 'ok')
        })
        const record = await stored(store, user)
        finals.push({ data: record.data, version: record.version, userId: record.userId })
        await engine.revokeAll(user)
      }
      const [merged, compared] = finals as [(typeof finals)[0], (typeof finals)[0]]
      assert.deepEqual(parseSessionJson(merged.data), parseSessionJson(compared.data))
      assert.equal(merged.data, compared.data, 'the same text, member for member')
      assert.equal(merged.version, compared.version)
      assert.equal(merged.userId, compared.userId)
    })

    it('merges stored text the database will not parse as JSON (NaN, U+0000 keys) exactly', async (t) => {
      if (skipless(t)) return
      const store = ctx.store()
      const k = ctx.key()
      const data = '{"n":NaN,"i":-Infinity,"big":12345678901234567890,"\\u0000":"\\ud800","z":-0.0}'
      await store.set(k, ctx.record({ data }))
      const set = new Map([
        ['x', 'NaN'],
        ['\u0000', '1'],
      ])
      const merged = await store.merge?.(k, { set, removed: ['i'] }, { expiresAt: ctx.now() + 60_000 })
      const expected = '{"n":NaN,"big":12345678901234567890,"\\u0000":1,"z":-0.0,"x":NaN}'
      assert.equal(merged?.data, expected)
      assert.equal((await store.get(k))?.data, expected)
      assert.equal(merged?.version, 2)
    })
  })
}
