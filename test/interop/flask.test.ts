/**
 * Wire compatibility with real Flask (Debian's python3-flask): a Flask app with Flask's own cookie
 * sessions and a tessera app with `format: flask()` run side by side with the same secret, and each
 * accepts the other's cookies: plain, compressed, and holding Flask's tagged values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { Hono } from 'hono'
import { flask, flaskTag, Signer, TimestampSigner } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { cookiePair, request } from '../support/http.ts'
import { startFlask } from '../support/python.ts'
import {
  addExchangeRoutes,
  EXCHANGED,
  itReadsWhatTheOtherWrote,
  itRejectsForgeries,
  SECRET,
  sideBySide,
} from './exchange.ts'

const NOW = () => Math.floor(Date.now() / 1000)

/** Signs a payload as Flask's serializer does, so tests can forge well-signed bad data. */
function flaskSign(payload: string, issuedAt: number, secret = SECRET): string {
  const signer = new Signer({ secret, salt: 'cookie-session', keyDerivation: 'hmac' })
  return new TimestampSigner(signer).sign(payload, issuedAt)
}

// tessera's side: Flask's cookie format, and the routes flask_app.py has.
const app = new Hono<SessionEnv>()
app.use(sessions({ secretKey: SECRET, format: flask() }))
app.get('/create_session', (c) => {
  c.var.session.set('my_session', '1234')
  return c.json('ok')
})
app.get('/read_session', (c) => c.json(c.var.session.get('my_session') ?? null))
addExchangeRoutes(app)
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
const sides = sideBySide(startFlask, app)

// Repetitive enough that itsdangerous compresses it (the cookie value starts with ".").
const COMPRESSIBLE = { items: Array.from({ length: 200 }, (_, i) => ({ id: i % 7, name: 'item' })) }

const CASES = [['ASCII', { my_session: '1234', n: 1 }], ...EXCHANGED, ['compressed', COMPRESSIBLE]] as const

describe('a cookie minted by Flask is read by tessera', () => {
  itReadsWhatTheOtherWrote(sides, 'python', CASES)

  it('tagged values (tuple, bytes, Markup, UUID, datetime, tag-like dict), kept in their tagged form', async () => {
    const created = await request(`${sides.python}/set_tagged`)
    const dump = (await request(`${sides.tessera}/dump`, { cookie: cookiePair(created) })).body
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
  itReadsWhatTheOtherWrote(sides, 'tessera', CASES)

  it('tagged values built with flaskTag reach Flask as tuple, bytes, Markup, UUID, datetime and dict', async () => {
    const created = await request(`${sides.tessera}/set_tagged`)
    const check = await request(`${sides.python}/check_tagged`, { cookie: cookiePair(created) })
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
    const created = await request(`${sides.python}/set_tagged`)
    const app = await request(`${sides.tessera}/create_session`, { cookie: cookiePair(created) })
    const check = await request(`${sides.python}/check_tagged`, { cookie: cookiePair(app) })
    assert.ok(Object.values(check.body as Record<string, boolean>).every(Boolean), JSON.stringify(check.body))
    assert.equal((await request(`${sides.python}/read_session`, { cookie: cookiePair(app) })).body, '1234')
  })
})

describe('bad cookies are rejected by both', () => {
  const both = sides.dumpOnBoth

  const forged = Buffer.from('{"role":"admin"}').toString('base64url')
  itRejectsForgeries(sides, 'tampered, truncated, wrong-secret and Starlette-signed cookies', forged, () => [
    flaskSign(forged, NOW(), 'a-different-secret-that-is-long-enough'),
    // Starlette's signer (another salt and key derivation) with the same secret.
    new TimestampSigner(new Signer({ secret: SECRET })).sign(forged, NOW()),
  ])

  it('expired cookies, minted by either side 15 days ago', async () => {
    const fifteenDays = 15 * 24 * 3600
    const pythonOld = (await request(`${sides.python}/mint?age=${fifteenDays}`)).text
    const nodeOld = flaskSign(Buffer.from('{"my_session":"old"}').toString('base64url'), NOW() - fifteenDays)
    for (const value of [pythonOld, nodeOld]) assert.deepEqual(await both(`session=${value}`), [{}, {}])
    const recent = (await request(`${sides.python}/mint?age=${13 * 24 * 3600}`)).text
    assert.deepEqual(await both(`session=${recent}`), [{ my_session: 'old' }, { my_session: 'old' }])
  })

  it('a validly signed zlib bomb: tessera stops inflating at its bound and gives an empty session', async () => {
    // 2 MB of spaces around an object compress to about 2 KB: under the cookie limit.
    const bomb = deflateSync(Buffer.from(`{"a":1${' '.repeat(2_000_000)}}`))
    const cookie = `session=${flaskSign(`.${bomb.toString('base64url')}`, NOW())}`
    assert.ok(cookie.length < 4096, String(cookie.length))
    const js = await request(`${sides.tessera}/dump`, { cookie })
    assert.equal(js.status, 200)
    assert.deepEqual(js.body, {})
  })
})
