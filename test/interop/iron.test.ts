/**
 * Wire compatibility with the real iron-session (v8, what Next.js apps send): its `sealData` /
 * `unsealData` and `getIronSession` on Web Request/Response, against tessera's `format: iron()`, both
 * ways, with iron-session's password map (`{ 1: old, 2: new }`) and its ttl.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getIronSession, sealData, unsealData } from 'iron-session'
import { createSessionEngine, iron, type SessionOptions } from 'tessera-session'

const OLD = 'iron-old-password-0123456789abcdefghij'
const NEW = 'iron-new-password-0123456789abcdefghij'
const NOW = () => Math.floor(Date.now() / 1000)
const DATA = {
  ascii: { user: 'ada', n: 1 },
  nested: { user: { id: 42, roles: ['admin'], profile: { active: true } }, list: [1, 'two', [3], null] },
  'non-ASCII': { greeting: 'Привет, мир', emoji: '🍪', cjk: '会话' },
} as const

function engine(options: Partial<SessionOptions> = {}) {
  return createSessionEngine({ secretKey: NEW, format: iron(), ...options })
}

/** The cookie value an engine writes for `data`. */
function cookieValueOf(e: ReturnType<typeof engine>, data: Record<string, unknown>): string {
  const header = e.serialize(data)
  return header.slice(header.indexOf('=') + 1, header.indexOf(';'))
}

function read(e: ReturnType<typeof engine>, value: string): Record<string, unknown> {
  return { ...e.open(`session=${value}`).session.data }
}

describe('iron-session seals are read by tessera', () => {
  for (const [name, data] of Object.entries(DATA)) {
    it(`${name} data`, async () => {
      const sealed = await sealData(data, { password: NEW })
      assert.match(sealed, /^Fe26\.2\*1\*/)
      assert.deepEqual(read(engine(), sealed), data)
    })
  }

  it('through getIronSession on a Web Request and Response', async () => {
    const response = new Response()
    const session = await getIronSession<{ user?: string }>(new Request('http://x/'), response, {
      password: NEW,
      cookieName: 'session',
    })
    session.user = 'ada'
    await session.save()
    const setCookie = response.headers.get('set-cookie') ?? ''
    const opened = engine().open(setCookie.slice(0, setCookie.indexOf(';')))
    assert.equal(opened.session.get('user'), 'ada')
  })
})

describe('tessera seals are read by iron-session', () => {
  for (const [name, data] of Object.entries(DATA)) {
    it(`${name} data`, async () => {
      assert.deepEqual(await unsealData(cookieValueOf(engine(), data), { password: NEW }), data)
    })
  }

  it('through getIronSession on a Web Request', async () => {
    const cookie = engine().serialize({ user: 'ada' }).split(';')[0] as string
    const session = await getIronSession<{ user?: string }>(
      new Request('http://x/', { headers: { cookie } }),
      new Response(),
      { password: NEW, cookieName: 'session' },
    )
    assert.equal(session.user, 'ada')
  })
})

describe('password rotation: iron-session’s { 1: old, 2: new } is tessera’s [new, old]', () => {
  const map = { 1: OLD, 2: NEW }
  const rotating = () => engine({ secretKey: [NEW, OLD] })

  it('iron-session seals with the highest id, which tessera reads with its first secret', async () => {
    const sealed = await sealData({ a: 1 }, { password: map })
    assert.match(sealed, /^Fe26\.2\*2\*/)
    const decoded = rotating().format.decode(sealed, NOW())
    assert.equal(decoded.keyIndex, 0)
  })

  it('a seal made before the rotation (id 1) is read, then re-sealed with the new password', async () => {
    const before = await sealData({ a: 1 }, { password: OLD })
    const e = rotating()
    const opened = e.open(`session=${before}`)
    assert.equal(opened.session.get('a'), 1)
    const { setCookie } = opened.commit()
    assert.ok(setCookie !== undefined, 'a seal of an older password is re-issued')
    const value = setCookie.slice(setCookie.indexOf('=') + 1, setCookie.indexOf(';'))
    assert.match(value, /^Fe26\.2\*2\*/)
    assert.deepEqual(await unsealData(value, { password: map }), { a: 1 })
    assert.deepEqual(
      await unsealData(value, { password: OLD }),
      {},
      'the old password alone no longer opens it',
    )
  })

  it('tessera seals with id 2, which iron-session opens with its map', async () => {
    const value = cookieValueOf(rotating(), { b: 2 })
    assert.match(value, /^Fe26\.2\*2\*/)
    assert.deepEqual(await unsealData(value, { password: map }), { b: 2 })
  })

  it('ids that are not 1..n are given with passwordIds', async () => {
    const sealed = await sealData({ c: 3 }, { password: { 3: OLD, 7: NEW } })
    const e = engine({ secretKey: [NEW, OLD], format: iron({ passwordIds: [7, 3] }) })
    assert.deepEqual(read(e, sealed), { c: 3 })
    assert.deepEqual(await unsealData(cookieValueOf(e, { c: 4 }), { password: { 3: OLD, 7: NEW } }), { c: 4 })
    assert.deepEqual(read(engine({ secretKey: [NEW, OLD] }), sealed), {}, 'id 7 is unknown by default')
  })
})

describe('ttl', () => {
  it('tessera writes iron-session’s expiration: issue time plus ttl, in milliseconds', async () => {
    const now = NOW()
    const e = engine({ format: iron({ ttl: 100 }), now: () => now * 1000 })
    const value = cookieValueOf(e, { a: 1 })
    assert.equal(value.split('*')[5], String((now + 100) * 1000))
    assert.deepEqual(await unsealData(value, { password: NEW, ttl: 100 }), { a: 1 })
  })

  it('a tessera seal past its ttl is refused by iron-session', async () => {
    const past = NOW() - 200
    const value = cookieValueOf(engine({ format: iron({ ttl: 100 }), now: () => past * 1000 }), { a: 1 })
    assert.deepEqual(await unsealData(value, { password: NEW, ttl: 100 }), {})
  })

  it('an iron-session seal is read until its ttl (and iron’s 60 s of skew) is over, then refused', async () => {
    const sealed = await sealData({ a: 1 }, { password: NEW, ttl: 100 })
    const at = (seconds: number) =>
      read(engine({ format: iron({ ttl: 100 }), now: () => (NOW() + seconds) * 1000 }), sealed)
    assert.deepEqual(at(50), { a: 1 })
    assert.deepEqual(at(100 + 60 + 5), {})
  })

  it('ttl 0 on either side: seals that never expire, read by both', async () => {
    const sealed = await sealData({ a: 1 }, { password: NEW, ttl: 0 })
    assert.equal(sealed.split('*')[5], '')
    assert.deepEqual(read(engine({ format: iron({ ttl: 0 }) }), sealed), { a: 1 })
    const value = cookieValueOf(engine({ format: iron({ ttl: 0 }) }), { b: 1 })
    assert.equal(value.split('*')[5], '')
    assert.deepEqual(await unsealData(value, { password: NEW, ttl: 0 }), { b: 1 })
  })
})

describe('bad seals are refused by both', () => {
  it('tampered, truncated, wrong-password and Starlette cookies', async () => {
    const sealed = await sealData({ role: 'user' }, { password: NEW })
    const parts = sealed.split('*')
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1)
    const bad = [
      [...parts.slice(0, 4), flip(parts[4] as string), ...parts.slice(5)].join('*'),
      sealed.slice(0, -5),
      await sealData({ role: 'admin' }, { password: 'another-password-0123456789abcdefghij' }),
      createSessionEngine({ secretKey: NEW }).serialize({ role: 'admin' }).split(';')[0]?.slice(8) as string,
    ]
    for (const value of bad) {
      assert.deepEqual(read(engine(), value), {}, value)
      let unsealed: unknown
      try {
        unsealed = await unsealData(value, { password: NEW })
      } catch {
        unsealed = {}
      }
      assert.deepEqual(unsealed, {}, value)
    }
  })
})
