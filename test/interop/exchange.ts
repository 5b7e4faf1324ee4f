/**
 * What the interop suites (Starlette, Flask) share: both apps run side by side with one secret, the
 * data they exchange, the two routes tessera's app adds to write and read any session, and the
 * bad-cookie cases both sides must read alike.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Env, Hono } from 'hono'
import { getSession } from 'tessera-session/hono'
import { serveApp } from '../support/app.ts'
import { cookiePair, request } from '../support/http.ts'
import type { PythonApp } from '../support/python.ts'

export const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='

export const NESTED = {
  user: { id: 42, roles: ['admin', 'editor'], profile: { name: 'Ada', active: true } },
  list: [1, 'two', [3], null],
  f: 1.5,
}
export const NON_ASCII = { greeting: 'Привет, мир', emoji: '🍪', accents: 'café', cjk: '会话' }

/** Data both suites exchange in both directions, by name. */
export const EXCHANGED = [
  ['nested', NESTED],
  ['non-ASCII', NON_ASCII],
] as const

/**
 * `POST /set_json` replaces the session with the JSON body; `GET /dump` answers the session's data.
 * The Python apps have the same two routes.
 */
export function addExchangeRoutes<E extends Env>(app: Hono<E>): void {
  app.post('/set_json', async (c) => {
    const session = getSession(c)
    session.clear()
    for (const [key, value] of Object.entries((await c.req.json()) as Record<string, unknown>))
      session.set(key, value)
    return c.json('ok')
  })
  app.get('/dump', (c) => c.json(getSession(c).data))
}

/** The two apps of a suite, as {@link sideBySide} runs them. */
export interface Sides {
  /** Where each side answers: set by the `before` hook, read by the tests. */
  python: string
  tessera: string
  /**
   * What `/dump` answers for `cookie` on the Python app and on tessera's, in that order. Each must
   * answer 200 whatever the cookie: a bad one is an empty session, never an error.
   */
  dumpOnBoth(cookie: string): Promise<[unknown, unknown]>
}

/**
 * Runs both apps for the tests of the calling file: `startPython` (with {@link SECRET}) and tessera's
 * `app`, served over HTTP, from a `before` hook, stopped in an `after` hook.
 */
export function sideBySide(
  startPython: (secret: string) => Promise<PythonApp>,
  app: { fetch(request: Request): Response | Promise<Response> },
): Sides {
  const sides: Sides = {
    python: '',
    tessera: '',
    async dumpOnBoth(cookie) {
      const [py, js] = await Promise.all([
        request(`${sides.python}/dump`, { cookie }),
        request(`${sides.tessera}/dump`, { cookie }),
      ])
      assert.equal(py.status, 200, py.text)
      assert.equal(js.status, 200, js.text)
      return [py.body, js.body]
    },
  }
  let python: PythonApp | undefined
  let node: { url: string; close(): Promise<void> } | undefined
  before(async () => {
    node = await serveApp(app)
    sides.tessera = node.url
    python = await startPython(SECRET)
    sides.python = python.url
  })
  after(async () => {
    python?.stop()
    await node?.close()
  })
  return sides
}

/**
 * The cases each direction opens with: the seed's `my_session` value, then each of `cases` (a name
 * and the data), written through `/set_json` on `writer` and dumped on the other side. A case named
 * `compressed` must be written compressed, as itsdangerous does past a size (a value starting ".").
 */
export function itReadsWhatTheOtherWrote(
  sides: Sides,
  writer: 'python' | 'tessera',
  cases: readonly (readonly [string, object])[],
): void {
  const reader = writer === 'python' ? 'tessera' : 'python'
  it('the seed’s my_session value', async () => {
    const created = await request(`${sides[writer]}/create_session`)
    assert.equal(created.body, 'ok')
    const read = await request(`${sides[reader]}/read_session`, { cookie: cookiePair(created) })
    assert.equal(read.status, 200)
    assert.equal(read.body, '1234')
  })

  for (const [name, data] of cases) {
    it(`${name} data`, async () => {
      const created = await request(`${sides[writer]}/set_json`, { json: data })
      const value = cookiePair(created).slice('session='.length)
      if (name === 'compressed') assert.ok(value.startsWith('.'), `${writer} compressed it`)
      assert.deepEqual((await request(`${sides[reader]}/dump`, { cookie: cookiePair(created) })).body, data)
    })
  }
}

/**
 * The bad-cookie cases both suites open with: the control (a cookie the Python app wrote, left
 * alone, reads alike on both sides), then the test `name`: a cookie tessera wrote, tampered with
 * (`forged` data under its signature, its signature cut short or cut off), and each cookie value
 * `signedElsewhere` makes, must read as an empty session on both sides.
 */
export function itRejectsForgeries(
  sides: Sides,
  name: string,
  forged: string,
  signedElsewhere: () => string[],
): void {
  it('accepts the untouched cookie (control)', async () => {
    const pair = cookiePair(await request(`${sides.python}/set_json`, { json: { a: 1 } }))
    assert.deepEqual(await sides.dumpOnBoth(pair), [{ a: 1 }, { a: 1 }])
  })

  it(name, async () => {
    const pair = cookiePair(await request(`${sides.tessera}/set_json`, { json: { role: 'user' } }))
    const value = pair.slice('session='.length)
    const tampered = [
      `${forged}${value.slice(value.indexOf('.'))}`,
      value.slice(0, -3),
      value.slice(0, value.lastIndexOf('.')),
    ]
    for (const bad of [...tampered, ...signedElsewhere()]) {
      assert.deepEqual(await sides.dumpOnBoth(`session=${bad}`), [{}, {}], bad)
    }
  })
}
