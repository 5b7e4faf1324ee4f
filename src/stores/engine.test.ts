import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSessionEngine, type Session, Signer, StoreUnavailable } from 'tessera-session'
import {
  createStoreEngine,
  hashSessionId,
  memoryStore,
  type SessionRecord,
  type Store,
  type StoreEngine,
  type StoreEngineOptions,
} from 'tessera-session/stores'

const SECRET = 'engine-test-secret-0123456789abcdef0123456789'
const START = 1_700_000_000_000

/** A memory store that counts its calls, on a clock the test moves. */
function setup(options: Partial<StoreEngineOptions> = {}) {
  const clock = { now: START }
  const now = () => clock.now
  const inner = memoryStore({ now, sweepInterval: 0 })
  const calls: string[] = []
  const counted =
    <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
    (...args: A): R => {
      calls.push(name)
      return call(...args)
    }
  const store: Store = {
    get: counted('get', (k: string) => inner.get(k)),
    set: counted('set', (k: string, r: SessionRecord) => inner.set(k, r)),
    destroy: counted('destroy', (k: string) => inner.destroy(k)),
    touch: counted('touch', (k: string, e: number) => inner.touch(k, e)),
    listByUser: counted('listByUser', (u: string) => inner.listByUser(u)),
  }
  const engine = createStoreEngine({ secretKey: SECRET, store, now, ...options })
  return { engine, inner, calls, clock }
}

/** One request: open with `cookie`, run `use`, commit; the cookie a browser would hold afterwards. */
async function request(
  engine: StoreEngine,
  cookie: string | undefined,
  use: (session: Session) => void | Promise<void> = async (s) => void (await s.load()),
) {
  const opened = engine.open(cookie)
  await use(opened.session)
  const result = await opened.commit()
  const session = opened.session
  let next = cookie
  if (result.setCookie !== undefined) {
    next = /Max-Age=0/.test(result.setCookie)
      ? undefined
      : result.setCookie.slice(0, result.setCookie.indexOf(';'))
  }
  return { cookie: next, result, session }
}

const login = (engine: StoreEngine, data: Record<string, unknown> = { userId: 'alice' }) =>
  request(engine, undefined, (s) => {
    for (const [k, v] of Object.entries(data)) s.set(k, v)
  })

describe('store engine: ids', () => {
  it('sends a signed 256-bit random id and keeps only its SHA-256 in the store', async () => {
    const { engine, inner } = setup()
    const { cookie } = await login(engine)
    assert.ok(cookie)
    const value = cookie.slice('session='.length)
    const id = value.slice(0, value.lastIndexOf('.'))
    assert.match(id, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(await inner.get(id), undefined, 'the raw id is not a store key')
    assert.ok(await inner.get(hashSessionId(id)))
    const other = await login(engine)
    assert.notEqual(other.cookie, cookie)
  })

  it('rejects a forged or tampered id before any store call', async () => {
    const { engine, calls } = setup()
    const rejected: unknown[] = []
    const watched = createStoreEngine({
      ...engine.settings,
      secretKey: SECRET,
      onInvalid: (e) => rejected.push(e),
    })
    const { cookie } = await login(engine)
    const tampered = `${cookie?.slice(0, -2)}xx`
    calls.length = 0
    for (const bad of [tampered, 'session=abc', `session=${'A'.repeat(43)}.sig`, 'session=']) {
      const { session } = await request(watched, bad)
      assert.equal(session.isNew, true)
    }
    assert.deepEqual(calls, [], 'no store lookup for an id this server did not sign')
    assert.ok(rejected.length >= 2)
  })

  it('does not take a Starlette cookie signature as an id signature, or the reverse', async () => {
    const { engine, calls } = setup()
    const starlette = createSessionEngine({ secretKey: SECRET })
    const cookieSession = starlette.serialize({ userId: 'mallory' })
    await request(engine, cookieSession.slice(0, cookieSession.indexOf(';')))
    // An id signed under itsdangerous' default salt (what Starlette's signer uses) is refused too.
    const foreign = new Signer({ secret: SECRET }).sign('A'.repeat(43))
    const { session } = await request(engine, `session=${foreign}`)
    assert.equal(session.isNew, true)
    assert.deepEqual(calls, [])
    const { cookie } = await login(engine)
    const asStarlette = starlette.open(cookie)
    assert.equal(asStarlette.session.isNew, true)
  })

  it('accepts an id signed with an older key and re-signs it without a store write', async () => {
    const old = setup({ secretKey: 'old-secret-0123456789abcdef0123456789abcd' })
    const { cookie } = await login(old.engine)
    const rotated = createStoreEngine({
      ...old.engine.settings,
      secretKey: [SECRET, 'old-secret-0123456789abcdef0123456789abcd'],
      now: () => old.clock.now,
    })
    old.calls.length = 0
    const next = await request(rotated, cookie, async (s) => {
      await s.load()
      assert.equal(s.get('userId'), 'alice')
    })
    assert.ok(next.result.setCookie)
    assert.notEqual(next.cookie, cookie)
    assert.deepEqual(old.calls, ['get'])
    const again = await request(
      createStoreEngine({ ...old.engine.settings, secretKey: SECRET, now: () => old.clock.now }),
      next.cookie,
    )
    assert.equal(again.session.get('userId'), 'alice')
  })
})

describe('store engine: lazy and cheap', () => {
  it('makes no store call for a request that never uses the session', async () => {
    const { engine, calls } = setup()
    const { cookie } = await login(engine)
    calls.length = 0
    const { result } = await request(engine, cookie, () => {})
    assert.deepEqual(calls, [])
    assert.deepEqual(result, { setCookie: undefined, vary: false })
  })

  it('does not write back a session that was only read', async () => {
    const { engine, calls } = setup()
    const { cookie } = await login(engine)
    calls.length = 0
    const { result } = await request(engine, cookie, async (s) => {
      await s.load()
      s.get('userId')
      s.data
    })
    assert.deepEqual(calls, ['get'])
    assert.equal(result.setCookie, undefined)
    assert.equal(result.vary, true)
  })

  it('does not write back a session set to the values it already had', async () => {
    const { engine, calls } = setup()
    const { cookie } = await login(engine)
    calls.length = 0
    await request(engine, cookie, async (s) => {
      await s.load()
      s.set('userId', 'alice')
    })
    assert.deepEqual(calls, ['get'])
  })

  it('needs no store at all for a new visitor who stores nothing', async () => {
    const { engine, calls } = setup()
    const { result } = await request(engine, undefined, (s) => void s.get('x'))
    assert.deepEqual(calls, [])
    assert.equal(result.setCookie, undefined)
  })
})

describe('store engine: lifecycle', () => {
  it('regenerate() gives a new id with the same data and kills the old id', async () => {
    const { engine } = setup()
    const first = await login(engine, { cart: ['apple'] })
    const second = await request(engine, first.cookie, async (s) => {
      await s.load()
      s.set('userId', 'alice')
      s.regenerate()
    })
    assert.ok(second.cookie)
    assert.notEqual(second.cookie, first.cookie)
    const { session } = await request(engine, second.cookie)
    assert.deepEqual(session.data, { cart: ['apple'], userId: 'alice' })
    const fixated = await request(engine, first.cookie)
    assert.equal(fixated.session.isNew, true, 'the pre-login id no longer opens the session')
  })

  it('clear() destroys the stored session and deletes the cookie', async () => {
    const { engine, inner } = setup()
    const { cookie } = await login(engine)
    const cleared = await request(engine, cookie, async (s) => {
      await s.load()
      s.clear()
    })
    assert.match(cleared.result.setCookie ?? '', /Max-Age=0/)
    assert.equal(inner.size, 0)
  })

  it('ends a session after idleTimeout without use', async () => {
    const { engine, clock } = setup({ idleTimeout: 600, absoluteTimeout: 3600, touchAfter: 60 })
    const { cookie } = await login(engine)
    clock.now += 599_000
    assert.equal((await request(engine, cookie)).session.get('userId'), 'alice')
    clock.now += 601_000
    assert.equal((await request(engine, cookie)).session.isNew, true)
  })

  it('ends a session at absoluteTimeout however active it is', async () => {
    const { engine, clock } = setup({ idleTimeout: 600, absoluteTimeout: 1800, touchAfter: 60 })
    const { cookie } = await login(engine)
    for (let t = 0; t < 3; t++) {
      clock.now += 500_000
      assert.equal((await request(engine, cookie)).session.get('userId'), 'alice')
    }
    clock.now += 301_000 // 1801 s after creation, 301 s after the last use
    assert.equal((await request(engine, cookie)).session.isNew, true)
  })

  it('slides the idle expiry with a touch only when touchAfter has passed', async () => {
    const { engine, calls, clock } = setup({ idleTimeout: 600, absoluteTimeout: 3600, touchAfter: 60 })
    const { cookie } = await login(engine)
    calls.length = 0
    clock.now += 30_000
    await request(engine, cookie)
    assert.deepEqual(calls, ['get'])
    clock.now += 31_000
    await request(engine, cookie)
    assert.deepEqual(calls, ['get', 'get', 'touch'])
    clock.now += 5_000
    await request(engine, cookie)
    assert.deepEqual(calls, ['get', 'get', 'touch', 'get'])
    // Touched at +61 s: alive until +661 s, past the first 600 s.
    clock.now = START + 650_000
    assert.equal((await request(engine, cookie)).session.get('userId'), 'alice')
  })

  it('"remember me": persistent cookies carry Max-Age until the absolute timeout, others none', async () => {
    const { engine } = setup({ idleTimeout: 3600, absoluteTimeout: 86_400 })
    const remembered = await request(engine, undefined, (s) => {
      s.set('userId', 'alice')
      s.setPersistent(true)
    })
    assert.match(remembered.result.setCookie ?? '', /Max-Age=86400;/)
    const forgotten = await request(engine, remembered.cookie, async (s) => {
      await s.load()
      s.setPersistent(false)
    })
    assert.ok(forgotten.result.setCookie)
    assert.doesNotMatch(forgotten.result.setCookie, /Max-Age/)
    assert.equal(forgotten.cookie, remembered.cookie, 'same id, only the cookie kind changed')
    const browserSessions = setup({ persistent: false })
    const { result } = await login(browserSessions.engine)
    assert.doesNotMatch(result.setCookie ?? '', /Max-Age/)
  })
})

describe('store engine: schema', () => {
  it('gives an empty session when stored data no longer fits the schema', async () => {
    const { engine } = setup()
    const { cookie } = await login(engine, { userId: 42 })
    const rejected: unknown[] = []
    const strict = createStoreEngine({
      ...engine.settings,
      secretKey: SECRET,
      onInvalid: (error) => rejected.push(error),
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) =>
            typeof (value as { userId?: unknown }).userId === 'string'
              ? { value }
              : { issues: [{ message: 'userId must be a string' }] },
        },
      },
    })
    const { session } = await request(strict, cookie)
    assert.equal(session.isNew, true)
    assert.equal(rejected.length, 1)
  })
})

describe('store engine: concurrency', () => {
  it('keeps both changes when two requests change different keys at once', async () => {
    const { engine } = setup()
    const { cookie } = await login(engine, { userId: 'alice', a: 0, b: 0, gone: 1 })
    const one = engine.open(cookie)
    const two = engine.open(cookie)
    await Promise.all([one.session.load(), two.session.load()])
    one.session.set('a', 1)
    two.session.set('b', 2)
    two.session.delete('gone')
    await one.commit()
    await two.commit()
    const { session } = await request(engine, cookie)
    assert.deepEqual(session.data, { userId: 'alice', a: 1, b: 2 })
  })

  it('lets a revocation win over a request that was changing the session', async () => {
    const { engine, inner } = setup()
    const { cookie } = await login(engine)
    const busy = engine.open(cookie)
    await busy.session.load()
    assert.equal(await engine.revokeAll('alice'), 1)
    busy.session.set('late', true)
    const result = await busy.commit()
    // The browser may hold a newer cookie by now: the slow response does not clear it.
    assert.deepEqual(result, { setCookie: undefined, vary: true })
    assert.equal(inner.size, 0)
  })

  it('a slow request racing a sign-in never clears the new cookie', async () => {
    const { engine } = setup()
    const { cookie } = await login(engine)
    const slow = engine.open(cookie)
    await slow.session.load()
    // Meanwhile another tab signs in again: regenerate() replaces the id, the old one is destroyed.
    const signIn = engine.open(cookie)
    await signIn.session.load()
    signIn.session.regenerate()
    const fresh = (await signIn.commit()).setCookie
    assert.ok(fresh !== undefined && !fresh.includes('Max-Age=0'))
    slow.session.set('cart', ['late'])
    const late = await slow.commit()
    assert.equal(late.setCookie, undefined, 'the slow response must not clear the cookie of the sign-in')
    const next = fresh.slice(0, fresh.indexOf(';'))
    assert.equal((await engine.open(next).session.load()).get('userId'), 'alice')
  })
})

describe('store engine: faults', () => {
  const hanging: Store = {
    get: () => new Promise(() => {}),
    set: () => new Promise(() => {}),
    destroy: () => new Promise(() => {}),
  }

  it('fails with StoreUnavailable after `timeout` when the store does not answer', async () => {
    const good = setup()
    const { cookie } = await login(good.engine)
    const engine = createStoreEngine({ secretKey: SECRET, store: hanging, timeout: 50 })
    await assert.rejects(engine.open(cookie).session.load(), StoreUnavailable)
    const fresh = engine.open(undefined)
    fresh.session.set('x', 1)
    await assert.rejects(async () => fresh.commit(), StoreUnavailable)
  })

  it('wraps a driver error in StoreUnavailable, keeping it as the cause', async () => {
    const good = setup()
    const { cookie } = await login(good.engine)
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379')
    const failing: Store = { ...hanging, get: () => Promise.reject(refused) }
    const engine = createStoreEngine({ secretKey: SECRET, store: failing, timeout: 1000 })
    const error = await engine
      .open(cookie)
      .session.load()
      .then(
        () => assert.fail('should reject'),
        (e: unknown) => e,
      )
    assert.ok(error instanceof StoreUnavailable)
    assert.equal(error.cause, refused)
  })
})

describe('store engine: setup', () => {
  const store = memoryStore()
  const bad: [Partial<StoreEngineOptions>, RegExp][] = [
    [{ store: undefined as unknown as Store }, /store: missing/],
    [{ idleTimeout: 7200, absoluteTimeout: 3600 }, /idleTimeout: 7200 is longer than absoluteTimeout/],
    [{ idleTimeout: 600, touchAfter: 600 }, /touchAfter: 600 must be less than idleTimeout/],
    [{ absoluteTimeout: 500 * 86_400 }, /400 days/],
    [{ timeout: 0 }, /timeout: 0/],
    [{ idleTimeout: 1.5 }, /idleTimeout: 1.5 must be a whole number/],
    [{ secretKey: 'short' }, /secretKey/],
  ]
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => createStoreEngine({ secretKey: SECRET, store, ...options }), message)
    })
  }

  it('keeps a record shape a store can rely on', async () => {
    const { engine, inner, clock } = setup({ idleTimeout: 600, absoluteTimeout: 3600 })
    const { cookie } = await login(engine)
    const id = cookie?.slice('session='.length, cookie.lastIndexOf('.')) as string
    const record = (await inner.get(hashSessionId(id))) as SessionRecord
    assert.deepEqual(record, {
      data: '{"userId":"alice"}',
      version: 1,
      userId: 'alice',
      createdAt: clock.now,
      expiresAt: clock.now + 600_000,
      absoluteExpiresAt: clock.now + 3_600_000,
    })
  })
})
