/**
 * The real store engine behind every adapter that runs in this process: the adapter suite's apps,
 * built on a memory store instead of the cookie engine, over real HTTP.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { express4App, express5App } from '../adapter-suite/apps/express.ts'
import { fastifyApp } from '../adapter-suite/apps/fastify.ts'
import { fetchNodeApp } from '../adapter-suite/apps/fetch.ts'
import { honoApp } from '../adapter-suite/apps/hono.ts'
import { koaApp } from '../adapter-suite/apps/koa.ts'
import { nodeSessionsApp, nodeWithSessionApp } from '../adapter-suite/apps/node.ts'
import { type AppFactory, clock, type RunningApp } from '../adapter-suite/harness.ts'

const KEY = 'adapters-store-secret-0123456789-abcdefghij'

async function get(app: RunningApp, path: string, cookie?: string) {
  const response = await fetch(app.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  const text = await response.text()
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))
  return { status: response.status, text, setCookie, vary: response.headers.get('vary') ?? '' }
}

const pair = (setCookie: string | undefined) => {
  assert.ok(setCookie, 'expected a session cookie')
  return setCookie.split(';')[0] as string
}

const empty = { value: null, items: null, user: null }

const apps: [string, AppFactory][] = [
  ['express 5', express5App],
  ['express 4', express4App],
  ['fastify 5', fastifyApp],
  ['koa 3', koaApp],
  ['hono', honoApp],
  ['node withSession', nodeWithSessionApp],
  ['node nodeSessions', nodeSessionsApp],
  ['fetch on node', fetchNodeApp],
]

for (const [name, factory] of apps) {
  describe(`${name} on the store engine`, () => {
    let app: RunningApp
    before(async () => {
      clock.ms = Date.UTC(2026, 0, 1)
      app = await factory({ mode: 'store', secretKey: [KEY], maxAge: 3600 })
    })
    after(async () => app?.close())

    it('creates, reads, changes and clears a stored session; the cookie holds only a signed id', async () => {
      const created = await get(app, '/act/set?value=a')
      assert.equal(created.status, 200)
      const cookie = pair(created.setCookie)
      assert.match(cookie, /^session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/)
      assert.deepEqual(JSON.parse((await get(app, '/act/read', cookie)).text), { ...empty, value: 'a' })
      const changed = await get(app, '/act/append?item=one', cookie)
      assert.equal(changed.setCookie, undefined, 'a change keeps the id: no new cookie')
      assert.deepEqual(JSON.parse((await get(app, '/act/read', cookie)).text), {
        ...empty,
        value: 'a',
        items: ['one'],
      })
      const cleared = await get(app, '/act/clear', cookie)
      assert.match(cleared.setCookie ?? '', /Max-Age=0|expires=Thu, 01 Jan 1970/i)
      assert.deepEqual(JSON.parse((await get(app, '/act/read', cookie)).text), empty)
    })

    it('leaves an untouched session alone, and varies on Cookie once it is read', async () => {
      const cookie = pair((await get(app, '/act/set?value=x')).setCookie)
      const untouched = await get(app, '/act/untouched', cookie)
      assert.equal(untouched.setCookie, undefined)
      assert.doesNotMatch(untouched.vary, /cookie/i)
      const read = await get(app, '/act/read', cookie)
      assert.equal(read.setCookie, undefined)
      assert.match(read.vary, /cookie/i)
    })

    it('signs in with a new id (the old one stops working) and signs out', async () => {
      const before = pair((await get(app, '/act/set?value=cart')).setCookie)
      const after = pair((await get(app, '/act/login?user=ada', before)).setCookie)
      assert.notEqual(after, before)
      assert.deepEqual(JSON.parse((await get(app, '/act/read', after)).text), {
        ...empty,
        value: 'cart',
        user: 'ada',
      })
      assert.deepEqual(JSON.parse((await get(app, '/act/read', before)).text), empty)
      await get(app, '/act/logout', after)
      assert.deepEqual(JSON.parse((await get(app, '/act/read', after)).text), empty)
    })

    it('writes nothing when the handler throws', async () => {
      const cookie = pair((await get(app, '/act/set?value=before')).setCookie)
      assert.equal((await get(app, '/act/throw', cookie)).status, 500)
      assert.deepEqual(JSON.parse((await get(app, '/act/read', cookie)).text), { ...empty, value: 'before' })
    })
  })
}
