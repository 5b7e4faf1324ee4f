/**
 * Wire compatibility with the real thing: the seed's FastAPI app (Debian's FastAPI/Starlette) and
 * tessera's demo run side by side with the same secret, and each accepts the other's cookies.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { type ServerType, serve } from '@hono/node-server'
import { stringifyExact } from 'tessera-session'
import { getSession } from 'tessera-session/hono'
import { createDemoApp } from '../../examples/demo/app.ts'
import { cookieValue, signPayload } from '../support/cookies.ts'
import { cookiePair, request, waitForHttp } from '../support/http.ts'
import { reservePort } from '../support/ports.ts'
import { ensureStarlette, PYTHON } from '../support/python.ts'

const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
let python: ChildProcess
let pythonLog = ''
let node: ServerType
let fastapi = ''
let tessera = ''

before(async () => {
  ensureStarlette()
  const port = await reservePort()
  python = spawn(
    PYTHON,
    [
      '-m',
      'uvicorn',
      'fastapi_app:app',
      '--app-dir',
      'test/interop',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      env: { ...process.env, SECRET_KEY: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  python.stdout?.on('data', (chunk) => (pythonLog += chunk))
  python.stderr?.on('data', (chunk) => (pythonLog += chunk))
  fastapi = `http://127.0.0.1:${port}`

  const app = createDemoApp({ secretKey: SECRET })
  app.post('/set_json', async (c) => {
    const session = getSession(c)
    session.clear()
    for (const [key, value] of Object.entries((await c.req.json()) as Record<string, unknown>))
      session.set(key, value)
    return c.json('ok')
  })
  app.get('/dump', (c) => c.json(getSession(c).data))
  // The session exactly as tessera holds it: bigints as digits, NaN and Infinity as Python writes them.
  app.get('/exact', (c) => c.text(stringifyExact(getSession(c).data) ?? ''))
  app.get('/set_bigint', (c) => {
    getSession(c).set('id', 2n ** 64n + 1n)
    return c.json('ok')
  })
  app.get('/types', (c) => {
    const data = getSession(c).data as Record<string, unknown>
    return c.json(Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value])))
  })
  node = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => node.once('listening', resolve))
  tessera = `http://127.0.0.1:${(node.address() as AddressInfo).port}`
  await waitForHttp(`${fastapi}/read_session`, 60_000, () => pythonLog)
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

describe('a cookie minted by FastAPI is read by tessera', () => {
  it('the seed’s my_session value', async () => {
    const created = await request(`${fastapi}/create_session`)
    assert.equal(created.body, 'ok')
    const read = await request(`${tessera}/read_session`, { cookie: cookiePair(created) })
    assert.equal(read.status, 200)
    assert.equal(read.body, '1234')
  })

  for (const [name, data] of [
    ['nested', NESTED],
    ['non-ASCII', NON_ASCII],
  ] as const) {
    it(`${name} data`, async () => {
      const created = await request(`${fastapi}/set_json`, { json: data })
      assert.deepEqual((await request(`${tessera}/dump`, { cookie: cookiePair(created) })).body, data)
    })
  }

  it('and deleted by tessera, which clears the cookie', async () => {
    const created = await request(`${fastapi}/create_session`)
    const deleted = await request(`${tessera}/delete_session`, { cookie: cookiePair(created) })
    assert.equal(deleted.body, '1234')
    assert.match(deleted.setCookie[0] ?? '', /^session=null; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT/)
  })
})

describe('a cookie minted by tessera is read by FastAPI', () => {
  it('the seed’s my_session value', async () => {
    const created = await request(`${tessera}/create_session`)
    assert.equal(created.body, 'ok')
    assert.equal((await request(`${fastapi}/read_session`, { cookie: cookiePair(created) })).body, '1234')
  })

  for (const [name, data] of [
    ['nested', NESTED],
    ['non-ASCII', NON_ASCII],
  ] as const) {
    it(`${name} data`, async () => {
      const created = await request(`${tessera}/set_json`, { json: data })
      assert.deepEqual((await request(`${fastapi}/dump`, { cookie: cookiePair(created) })).body, data)
    })
  }

  it('and deleted by FastAPI', async () => {
    const created = await request(`${tessera}/create_session`)
    const deleted = await request(`${fastapi}/delete_session`, { cookie: cookiePair(created) })
    assert.equal(deleted.body, '1234')
    assert.match(deleted.setCookie[0] ?? '', /^session=null;/)
  })
})

describe('both write the same Set-Cookie attributes', () => {
  it('path, Max-Age, HttpOnly and SameSite in Starlette’s order', async () => {
    const strip = (h: string) => h.replace(/^session=[^;]*/, 'session=V')
    const fromPython = (await request(`${fastapi}/create_session`)).setCookie[0] ?? ''
    const fromNode = (await request(`${tessera}/create_session`)).setCookie[0] ?? ''
    assert.equal(strip(fromNode), strip(fromPython))
  })
})

describe('bad cookies are rejected by both', () => {
  async function both(cookie: string): Promise<[unknown, unknown]> {
    const [py, js] = await Promise.all([
      request(`${fastapi}/dump`, { cookie }),
      request(`${tessera}/dump`, { cookie }),
    ])
    assert.equal(py.status, 200)
    assert.equal(js.status, 200)
    return [py.body, js.body]
  }

  it('accepts the untouched cookie (control)', async () => {
    const pair = cookiePair(await request(`${fastapi}/set_json`, { json: { a: 1 } }))
    assert.deepEqual(await both(pair), [{ a: 1 }, { a: 1 }])
  })

  it('tampered, truncated and wrong-secret cookies', async () => {
    const pair = cookiePair(await request(`${tessera}/set_json`, { json: { role: 'user' } }))
    const value = pair.slice('session='.length)
    const forgedPayload = Buffer.from('{"role": "admin"}').toString('base64')
    const other = 'a-different-secret-that-is-long-enough'
    const bad = [
      `session=${forgedPayload}${value.slice(value.indexOf('.'))}`,
      `session=${value.slice(0, -3)}`,
      `session=${value.slice(0, value.lastIndexOf('.'))}`,
      `session=${signPayload(other, forgedPayload, Math.floor(Date.now() / 1000))}`,
    ]
    for (const cookie of bad) assert.deepEqual(await both(cookie), [{}, {}], cookie)
  })

  it('expired cookies, minted by either side 15 days ago', async () => {
    const fifteenDays = 15 * 24 * 3600
    const pythonOld = (await request(`${fastapi}/mint?age=${fifteenDays}`)).body as string
    const nodeOld = signPayload(
      SECRET,
      Buffer.from('{"my_session":"old"}').toString('base64'),
      Math.floor(Date.now() / 1000) - fifteenDays,
    )
    for (const value of [pythonOld, nodeOld]) assert.deepEqual(await both(`session=${value}`), [{}, {}])
    // Control: the same minting 13 days back is still valid on both.
    const recent = (await request(`${fastapi}/mint?age=${13 * 24 * 3600}`)).body as string
    assert.deepEqual(await both(`session=${recent}`), [{ my_session: 'old' }, { my_session: 'old' }])
  })
})

describe('where tessera is stricter than the seed’s FastAPI app', () => {
  it('deleting a missing value: FastAPI answers 500, tessera a JSON 404', async () => {
    assert.equal((await request(`${fastapi}/delete_session`)).status, 500)
    const answer = await request(`${tessera}/delete_session`)
    assert.equal(answer.status, 404)
    assert.deepEqual(answer.body, { detail: 'There is no session value to delete.' })
  })

  it('a validly signed payload that is not a JSON object: tessera gives an empty session', async () => {
    const value = signPayload(SECRET, Buffer.from('[1, 2]').toString('base64'), Math.floor(Date.now() / 1000))
    assert.equal((await request(`${fastapi}/read_session`, { cookie: `session=${value}` })).status, 500)
    const answer = await request(`${tessera}/read_session`, { cookie: `session=${value}` })
    assert.equal(answer.status, 200)
    assert.equal(answer.body, null)
  })

  it('an altered signature that itsdangerous’ lenient base64 accepts is refused by tessera', async () => {
    const value = cookieValue((await request(`${fastapi}/create_session`)).setCookie[0])
    const sig = value.slice(value.lastIndexOf('.') + 1)
    // SHA-1 signatures are 27 characters: the last one carries 4 bits plus 2 unused bits.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(
      sig.at(-1) as string,
    )
    const altered = `${value.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]}`
    assert.equal((await request(`${fastapi}/read_session`, { cookie: `session=${altered}` })).body, '1234')
    assert.equal((await request(`${tessera}/read_session`, { cookie: `session=${altered}` })).body, null)
  })
})

describe('values Python writes reach Python again exactly, through tessera', () => {
  it('a request that only reads nested values sends no cookie, whoever minted it', async () => {
    const minted = await request(`${fastapi}/set_json`, { json: NESTED })
    const read = await request(`${tessera}/dump`, { cookie: cookiePair(minted) })
    assert.deepEqual(read.body, NESTED)
    assert.deepEqual(read.setCookie, [], 'Python spaces its JSON; a read must not look like a change')
    assert.match(read.headers.get('vary') ?? '', /cookie/i)
  })

  it('integers past 2^53, 1.0, -0.0, 1e16, NaN and Infinity survive a write by tessera', async () => {
    const minted = await request(`${fastapi}/python_values`)
    const before = await request(`${fastapi}/repr`, { cookie: cookiePair(minted) })
    const written = await request(`${tessera}/create_session`, { cookie: cookiePair(minted) })
    assert.equal(written.status, 200)
    const after = await request(`${fastapi}/repr`, { cookie: cookiePair(written) })
    const withoutMine = String(after.body).replace(", ('my_session', '1234')", '')
    assert.equal(withoutMine, String(before.body))
  })

  it('tessera reads them without rounding: bigint for integers past 2^53, never a nearby number', async () => {
    const minted = await request(`${fastapi}/python_values`)
    const types = (await request(`${tessera}/types`, { cookie: cookiePair(minted) })).body
    assert.deepEqual(
      Object.fromEntries(Object.entries(types as Record<string, string>).filter(([, t]) => t === 'bigint')),
      { big: 'bigint', huge: 'bigint', min_i64: 'bigint', u64: 'bigint' },
    )
    const exact = await request(`${tessera}/exact`, { cookie: cookiePair(minted) })
    const same = await request(`${fastapi}/same_as_session`, { cookie: cookiePair(minted), text: exact.text })
    assert.equal(same.body, true, exact.text)
  })

  it('a bigint set in TypeScript reaches Python as the exact integer', async () => {
    const written = await request(`${tessera}/set_bigint`)
    const seen = await request(`${fastapi}/repr`, { cookie: cookiePair(written) })
    assert.equal(seen.text, "[('id', 18446744073709551617)]")
  })

  it('random sessions over the whole space of Python values (50 seeds), both ways', async () => {
    let tried = 0
    for (let seed = 0; seed < 50; seed++) {
      const minted = await request(`${fastapi}/random_session?seed=${seed}`)
      const cookie = cookiePair(minted)
      // A cookie over the browser limit never reaches a server; tessera drops it by design.
      if (cookie.length > 4096 - 200) continue
      tried++
      const exact = await request(`${tessera}/exact`, { cookie })
      const same = await request(`${fastapi}/same_as_session`, { cookie, text: exact.text })
      assert.equal(same.body, true, `seed ${seed}: tessera read ${exact.text}`)
      const before = String((await request(`${fastapi}/repr`, { cookie })).body)
      const written = await request(`${tessera}/create_session`, { cookie })
      assert.equal(written.status, 200, `seed ${seed}`)
      const after = String((await request(`${fastapi}/repr`, { cookie: cookiePair(written) })).body)
      assert.equal(
        after.replace(/, \('my_session', '1234'\)|\('my_session', '1234'\), /, ''),
        before,
        `seed ${seed}`,
      )
    }
    assert.ok(tried >= 40, `only ${tried} of 50 random sessions fit in a cookie`)
  })
})
