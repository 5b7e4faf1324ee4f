/**
 * Wire compatibility with real Flask (Debian's python3-flask): a Flask app with Flask's own cookie
 * sessions and a tessera app with `format: flask()` run side by side with the same secret, and each
 * accepts the other's cookies: plain, compressed, and holding Flask's tagged values.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { flask, flaskTag, Signer, TimestampSigner } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { cookiePair, request, waitForHttp } from '../support/http.ts'
import { reservePort } from '../support/ports.ts'
import { ensureFlask, PYTHON } from '../support/python.ts'

const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
const NOW = () => Math.floor(Date.now() / 1000)
let python: ChildProcess
let pythonLog = ''
let node: ServerType
let flaskUrl = ''
let tessera = ''

/** Signs a payload as Flask's serializer does, so tests can forge well-signed bad data. */
function flaskSign(payload: string, issuedAt: number, secret = SECRET): string {
  const signer = new Signer({ secret, salt: 'cookie-session', keyDerivation: 'hmac' })
  return new TimestampSigner(signer).sign(payload, issuedAt)
}

before(async () => {
  ensureFlask()
  const port = await reservePort()
  python = spawn(PYTHON, ['test/interop/flask_app.py', String(port)], {
    env: { ...process.env, SECRET_KEY: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  python.stdout?.on('data', (chunk) => (pythonLog += chunk))
  python.stderr?.on('data', (chunk) => (pythonLog += chunk))
  flaskUrl = `http://127.0.0.1:${port}`

  const app = new Hono<SessionEnv>()
  app.use(sessions({ secretKey: SECRET, format: flask() }))
  app.get('/create_session', (c) => {
    c.var.session.set('my_session', '1234')
    return c.json('ok')
  })
  app.get('/read_session', (c) => c.json(c.var.session.get('my_session') ?? null))
  app.post('/set_json', async (c) => {
    const session = c.var.session
    session.clear()
    for (const [key, value] of Object.entries((await c.req.json()) as Record<string, unknown>))
      session.set(key, value)
    return c.json('ok')
  })
  app.get('/dump', (c) => c.json(c.var.session.data))
  app.get('/set_tagged', (c) => {
    const session = c.var.session
    session.clear()
    session.set('tuple', flaskTag.tuple([1, 'two', flaskTag.tuple([3])]))
    session.set('bytes', flaskTag.bytes(Uint8Array.from([0, 255, ...Buffer.from('bytes')])))
    session.set('markup', flaskTag.markup('<b>bold</b>'))
    session.set('uuid', flaskTag.uuid('12345678-1234-5678-1234-567812345678'))
    session.set('when', flaskTag.datetime(new Date(Date.UTC(2023, 10, 14, 22, 13, 20))))
    session.set('tag_like', flaskTag.dict(' t', 'not a tuple'))
    session.set('nested', {
      list: [flaskTag.tuple([1, 2]), { b: flaskTag.bytes(Buffer.from('x')) }],
      n: null,
    })
    return c.json('ok')
  })
  node = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => node.once('listening', resolve))
  tessera = `http://127.0.0.1:${(node.address() as AddressInfo).port}`
  await waitForHttp(`${flaskUrl}/read_session`, 60_000, () => pythonLog)
})

after(() => {
  python?.kill()
  node?.close()
})

const NESTED = {
  user: { id: 42, roles: ['admin', 'editor'], profile: { name: 'Ada', active: true } },
  list: [1, 'two', [3], null],
  f: 1.5,
}
const NON_ASCII = { greeting: 'Привет, мир', emoji: '🍪', accents: 'café', cjk: '会话' }
// Repetitive enough that itsdangerous compresses it (the cookie value starts with ".").
const COMPRESSIBLE = { items: Array.from({ length: 200 }, (_, i) => ({ id: i % 7, name: 'item' })) }

const CASES = [
  ['ASCII', { my_session: '1234', n: 1 }],
  ['nested', NESTED],
  ['non-ASCII', NON_ASCII],
  ['compressed', COMPRESSIBLE],
] as const

describe('a cookie minted by Flask is read by tessera', () => {
  it('the seed’s my_session value', async () => {
    const created = await request(`${flaskUrl}/create_session`)
    assert.equal((await request(`${tessera}/read_session`, { cookie: cookiePair(created) })).body, '1234')
  })

  for (const [name, data] of CASES) {
    it(`${name} data`, async () => {
      const created = await request(`${flaskUrl}/set_json`, { json: data })
      const value = cookiePair(created).slice('session='.length)
      if (name === 'compressed') assert.ok(value.startsWith('.'), 'Flask compressed it')
      assert.deepEqual((await request(`${tessera}/dump`, { cookie: cookiePair(created) })).body, data)
    })
  }

  it('tagged values (tuple, bytes, Markup, UUID, datetime, tag-like dict), kept in their tagged form', async () => {
    const created = await request(`${flaskUrl}/set_tagged`)
    const dump = (await request(`${tessera}/dump`, { cookie: cookiePair(created) })).body
    assert.deepEqual(dump, {
      bytes: { ' b': 'AP9ieXRlcw==' },
      markup: { ' m': '<b>bold</b>' },
      nested: { list: [{ ' t': [1, 2] }, { b: { ' b': 'eA==' } }], n: null },
      tag_like: { ' di': { ' t__': 'not a tuple' } },
      tuple: { ' t': [1, 'two', { ' t': [3] }] },
      uuid: { ' u': '12345678123456781234567812345678' },
      when: { ' d': 'Tue, 14 Nov 2023 22:13:20 GMT' },
    })
  })
})

describe('a cookie minted by tessera is read by Flask', () => {
  it('the seed’s my_session value', async () => {
    const created = await request(`${tessera}/create_session`)
    assert.equal((await request(`${flaskUrl}/read_session`, { cookie: cookiePair(created) })).body, '1234')
  })

  for (const [name, data] of CASES) {
    it(`${name} data`, async () => {
      const created = await request(`${tessera}/set_json`, { json: data })
      const value = cookiePair(created).slice('session='.length)
      if (name === 'compressed') assert.ok(value.startsWith('.'), 'tessera compressed it')
      assert.deepEqual((await request(`${flaskUrl}/dump`, { cookie: cookiePair(created) })).body, data)
    })
  }

  it('tagged values built with flaskTag reach Flask as tuple, bytes, Markup, UUID, datetime and dict', async () => {
    const created = await request(`${tessera}/set_tagged`)
    const check = await request(`${flaskUrl}/check_tagged`, { cookie: cookiePair(created) })
    assert.deepEqual(check.body, {
      tuple: true,
      bytes: true,
      markup: true,
      uuid: true,
      when: true,
      tag_like: true,
      nested: true,
    })
  })

  it('tagged values Flask wrote survive a tessera write that leaves them alone', async () => {
    const created = await request(`${flaskUrl}/set_tagged`)
    const app = await request(`${tessera}/create_session`, { cookie: cookiePair(created) })
    const check = await request(`${flaskUrl}/check_tagged`, { cookie: cookiePair(app) })
    assert.ok(Object.values(check.body as Record<string, boolean>).every(Boolean), JSON.stringify(check.body))
    assert.equal((await request(`${flaskUrl}/read_session`, { cookie: cookiePair(app) })).body, '1234')
  })
})

describe('bad cookies are rejected by both', () => {
  async function both(cookie: string): Promise<[unknown, unknown]> {
    const [py, js] = await Promise.all([
      request(`${flaskUrl}/dump`, { cookie }),
      request(`${tessera}/dump`, { cookie }),
    ])
    assert.equal(py.status, 200, py.text)
    assert.equal(js.status, 200)
    return [py.body, js.body]
  }

  it('accepts the untouched cookie (control)', async () => {
    const pair = cookiePair(await request(`${flaskUrl}/set_json`, { json: { a: 1 } }))
    assert.deepEqual(await both(pair), [{ a: 1 }, { a: 1 }])
  })

  it('tampered, truncated, wrong-secret and Starlette-signed cookies', async () => {
    const pair = cookiePair(await request(`${tessera}/set_json`, { json: { role: 'user' } }))
    const value = pair.slice('session='.length)
    const forged = Buffer.from('{"role":"admin"}').toString('base64url')
    const bad = [
      `session=${forged}${value.slice(value.indexOf('.'))}`,
      `session=${value.slice(0, -3)}`,
      `session=${value.slice(0, value.lastIndexOf('.'))}`,
      `session=${flaskSign(forged, NOW(), 'a-different-secret-that-is-long-enough')}`,
      // Starlette's signer (another salt and key derivation) with the same secret.
      `session=${new TimestampSigner(new Signer({ secret: SECRET })).sign(forged, NOW())}`,
    ]
    for (const cookie of bad) assert.deepEqual(await both(cookie), [{}, {}], cookie)
  })

  it('expired cookies, minted by either side 15 days ago', async () => {
    const fifteenDays = 15 * 24 * 3600
    const pythonOld = (await request(`${flaskUrl}/mint?age=${fifteenDays}`)).text
    const nodeOld = flaskSign(Buffer.from('{"my_session":"old"}').toString('base64url'), NOW() - fifteenDays)
    for (const value of [pythonOld, nodeOld]) assert.deepEqual(await both(`session=${value}`), [{}, {}])
    const recent = (await request(`${flaskUrl}/mint?age=${13 * 24 * 3600}`)).text
    assert.deepEqual(await both(`session=${recent}`), [{ my_session: 'old' }, { my_session: 'old' }])
  })

  it('a validly signed zlib bomb: tessera stops inflating at its bound and gives an empty session', async () => {
    // 2 MB of spaces around an object compress to about 2 KB: under the cookie limit.
    const bomb = deflateSync(Buffer.from(`{"a":1${' '.repeat(2_000_000)}}`))
    const cookie = `session=${flaskSign(`.${bomb.toString('base64url')}`, NOW())}`
    assert.ok(cookie.length < 4096, String(cookie.length))
    const js = await request(`${tessera}/dump`, { cookie })
    assert.equal(js.status, 200)
    assert.deepEqual(js.body, {})
  })
})
