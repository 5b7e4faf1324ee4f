/**
 * Wire compatibility with the real thing: the seed's FastAPI app (Debian's FastAPI/Starlette) and
 * tessera's demo run side by side with the same secret, and each accepts the other's cookies.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { stringifyExact } from 'tessera-session'
import { getSession } from 'tessera-session/hono'
import { createDemoApp } from '../../examples/demo/app.ts'
import { cookieValue, signPayload } from '../support/cookies.ts'
import { cookiePair, request } from '../support/http.ts'
import { startFastApi } from '../support/python.ts'
import {
  addExchangeRoutes,
  EXCHANGED,
  itReadsWhatTheOtherWrote,
  itRejectsForgeries,
  NESTED,
  SECRET,
  sideBySide,
} from './exchange.ts'

// tessera's side: the demo app, with the routes fastapi_app.py adds to the seed's.
const app = createDemoApp({ secretKey: SECRET })
addExchangeRoutes(app)
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
const sides = sideBySide(startFastApi, app)

describe('a cookie minted by FastAPI is read by tessera', () => {
  itReadsWhatTheOtherWrote(sides, 'python', EXCHANGED)

  it('and deleted by tessera, which clears the cookie', async () => {
    const created = await request(`${sides.python}/create_session`)
    const deleted = await request(`${sides.tessera}/delete_session`, { cookie: cookiePair(created) })
    assert.equal(deleted.body, '1234')
    assert.match(deleted.setCookie[0] ?? '', /^session=null; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT/)
  })
})

describe('a cookie minted by tessera is read by FastAPI', () => {
  itReadsWhatTheOtherWrote(sides, 'tessera', EXCHANGED)

  it('and deleted by FastAPI', async () => {
    const created = await request(`${sides.tessera}/create_session`)
    const deleted = await request(`${sides.python}/delete_session`, { cookie: cookiePair(created) })
    assert.equal(deleted.body, '1234')
    assert.match(deleted.setCookie[0] ?? '', /^session=null;/)
  })
})

describe('both write the same Set-Cookie attributes', () => {
  it('path, Max-Age, HttpOnly and SameSite in Starlette’s order', async () => {
    const strip = (h: string) => h.replace(/^session=[^;]*/, 'session=V')
    const fromPython = (await request(`${sides.python}/create_session`)).setCookie[0] ?? ''
    const fromNode = (await request(`${sides.tessera}/create_session`)).setCookie[0] ?? ''
    assert.equal(strip(fromNode), strip(fromPython))
  })
})

describe('bad cookies are rejected by both', () => {
  const both = sides.dumpOnBoth

  const forged = Buffer.from('{"role": "admin"}').toString('base64')
  const other = 'a-different-secret-that-is-long-enough'
  itRejectsForgeries(sides, 'tampered, truncated and wrong-secret cookies', forged, () => [
    signPayload(other, forged, Math.floor(Date.now() / 1000)),
  ])

  it('expired cookies, minted by either side 15 days ago', async () => {
    const fifteenDays = 15 * 24 * 3600
    const pythonOld = (await request(`${sides.python}/mint?age=${fifteenDays}`)).body as string
    const nodeOld = signPayload(
      SECRET,
      Buffer.from('{"my_session":"old"}').toString('base64'),
      Math.floor(Date.now() / 1000) - fifteenDays,
    )
    for (const value of [pythonOld, nodeOld]) assert.deepEqual(await both(`session=${value}`), [{}, {}])
    // Control: the same minting 13 days back is still valid on both.
    const recent = (await request(`${sides.python}/mint?age=${13 * 24 * 3600}`)).body as string
    assert.deepEqual(await both(`session=${recent}`), [{ my_session: 'old' }, { my_session: 'old' }])
  })
})

describe('where tessera is stricter than the seed’s FastAPI app', () => {
  it('deleting a missing value: FastAPI answers 500, tessera a JSON 404', async () => {
    assert.equal((await request(`${sides.python}/delete_session`)).status, 500)
    const answer = await request(`${sides.tessera}/delete_session`)
    assert.equal(answer.status, 404)
    assert.deepEqual(answer.body, { detail: 'There is no session value to delete.' })
  })

  it('a validly signed payload that is not a JSON object: tessera gives an empty session', async () => {
    const value = signPayload(SECRET, Buffer.from('[1, 2]').toString('base64'), Math.floor(Date.now() / 1000))
    assert.equal((await request(`${sides.python}/read_session`, { cookie: `session=${value}` })).status, 500)
    const answer = await request(`${sides.tessera}/read_session`, { cookie: `session=${value}` })
    assert.equal(answer.status, 200)
    assert.equal(answer.body, null)
  })

  it('an altered signature that itsdangerous’ lenient base64 accepts is refused by tessera', async () => {
    const value = cookieValue((await request(`${sides.python}/create_session`)).setCookie[0])
    const sig = value.slice(value.lastIndexOf('.') + 1)
    // SHA-1 signatures are 27 characters: the last one carries 4 bits plus 2 unused bits.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(
      sig.at(-1) as string,
    )
    const altered = `${value.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]}`
    assert.equal(
      (await request(`${sides.python}/read_session`, { cookie: `session=${altered}` })).body,
      '1234',
    )
    assert.equal(
      (await request(`${sides.tessera}/read_session`, { cookie: `session=${altered}` })).body,
      null,
    )
  })
})

describe('values Python writes reach Python again exactly, through tessera', () => {
  it('a request that only reads nested values sends no cookie, whoever minted it', async () => {
    const minted = await request(`${sides.python}/set_json`, { json: NESTED })
    const read = await request(`${sides.tessera}/dump`, { cookie: cookiePair(minted) })
    assert.deepEqual(read.body, NESTED)
    assert.deepEqual(read.setCookie, [], 'Python spaces its JSON; a read must not look like a change')
    assert.match(read.headers.get('vary') ?? '', /cookie/i)
  })

  it('integers past 2^53, 1.0, -0.0, 1e16, NaN and Infinity survive a write by tessera', async () => {
    const minted = await request(`${sides.python}/python_values`)
    const before = await request(`${sides.python}/repr`, { cookie: cookiePair(minted) })
    const written = await request(`${sides.tessera}/create_session`, { cookie: cookiePair(minted) })
    assert.equal(written.status, 200)
    const after = await request(`${sides.python}/repr`, { cookie: cookiePair(written) })
    const withoutMine = String(after.body).replace(", ('my_session', '1234')", '')
    assert.equal(withoutMine, String(before.body))
  })

  it('tessera reads them without rounding: bigint for integers past 2^53, never a nearby number', async () => {
    const minted = await request(`${sides.python}/python_values`)
    const types = (await request(`${sides.tessera}/types`, { cookie: cookiePair(minted) })).body
    assert.deepEqual(
      Object.fromEntries(Object.entries(types as Record<string, string>).filter(([, t]) => t === 'bigint')),
      { big: 'bigint', huge: 'bigint', min_i64: 'bigint', u64: 'bigint' },
    )
    const exact = await request(`${sides.tessera}/exact`, { cookie: cookiePair(minted) })
    const same = await request(`${sides.python}/same_as_session`, {
      cookie: cookiePair(minted),
      text: exact.text,
    })
    assert.equal(same.body, true, exact.text)
  })

  it('a bigint set in TypeScript reaches Python as the exact integer', async () => {
    const written = await request(`${sides.tessera}/set_bigint`)
    const seen = await request(`${sides.python}/repr`, { cookie: cookiePair(written) })
    assert.equal(seen.text, "[('id', 18446744073709551617)]")
  })

  it('random sessions over the whole space of Python values (50 seeds), both ways', async () => {
    let tried = 0
    for (let seed = 0; seed < 50; seed++) {
      const minted = await request(`${sides.python}/random_session?seed=${seed}`)
      const cookie = cookiePair(minted)
      // A cookie over the browser limit never reaches a server; tessera drops it by design.
      if (cookie.length > 4096 - 200) continue
      tried++
      const exact = await request(`${sides.tessera}/exact`, { cookie })
      const same = await request(`${sides.python}/same_as_session`, { cookie, text: exact.text })
      assert.equal(same.body, true, `seed ${seed}: tessera read ${exact.text}`)
      const before = String((await request(`${sides.python}/repr`, { cookie })).body)
      const written = await request(`${sides.tessera}/create_session`, { cookie })
      assert.equal(written.status, 200, `seed ${seed}`)
      const after = String((await request(`${sides.python}/repr`, { cookie: cookiePair(written) })).body)
      assert.equal(
        after.replace(/, \('my_session', '1234'\)|\('my_session', '1234'\), /, ''),
        before,
        `seed ${seed}`,
      )
    }
    assert.ok(tried >= 40, `only ${tried} of 50 random sessions fit in a cookie`)
  })
})
