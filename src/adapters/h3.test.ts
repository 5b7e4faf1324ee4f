import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createApp, eventHandler, type H3Event, send, setResponseStatus, toNodeListener } from 'h3'
import { captureConsoleErrors } from '../../test/support/console.ts'
import { cookiePair, request } from '../../test/support/http.ts'
import { memoryStore } from '../stores/memory.ts'
import type { Store } from '../stores/store.ts'
import { createStoreEngine } from '../stores/store-engine.ts'
import { type NitroAppLike, sessionsPlugin } from './h3.ts'

const SECRET = 'h3-adapter-secret-h3-adapter-secret-0123'

/**
 * A Nitro app as the plugin sees it: Nitro's h3 app calls the `request` hooks from its `onRequest`
 * and answers errors with its own `onError` (here one that says it ran).
 */
function nitroApp(): NitroAppLike {
  const requestHooks: ((event: H3Event) => void | Promise<void>)[] = []
  const h3App = createApp({
    onRequest: async (event) => {
      for (const hook of requestHooks) await hook(event)
    },
    onError: async (error, event) => {
      setResponseStatus(event, error.statusCode)
      await send(event, JSON.stringify({ nitro: error.statusCode }), 'application/json')
    },
  })
  return {
    h3App,
    hooks: {
      hook(_name, handler) {
        requestHooks.push(handler)
      },
    },
  }
}

/** A memory store whose reads fail while `down` is set. */
const memory = memoryStore({ sweepInterval: 0 })
let down = false
const store: Store = {
  get: (id) => (down ? Promise.reject(new Error('test store is down')) : memory.get(id)),
  set: (id, record) => memory.set(id, record),
  destroy: (id) => memory.destroy(id),
}

describe('sessionsPlugin (Nitro)', () => {
  let server: Server
  let base = ''
  before(async () => {
    const nitro = nitroApp()
    sessionsPlugin(createStoreEngine({ secretKey: SECRET, store }))(nitro)
    nitro.h3App.use(
      '/login',
      eventHandler(async (event) => {
        await event.context.session.load()
        event.context.session.set('user' as never, 'ada' as never)
        return { ok: true }
      }),
    )
    nitro.h3App.use(
      '/me',
      eventHandler(async (event) => {
        await event.context.session.load()
        return { user: event.context.session.get('user' as never) ?? null }
      }),
    )
    nitro.h3App.use(
      '/fail',
      eventHandler(() => {
        throw new Error('a bug')
      }),
    )
    server = createServer(toNodeListener(nitro.h3App))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => server.close())

  it("opens the session from Nitro's request hook and commits it", async () => {
    const login = await request(`${base}/login`)
    assert.equal(login.status, 200)
    const me = await request(`${base}/me`, { cookie: cookiePair(login) })
    assert.deepEqual(me.body, { user: 'ada' })
  })

  it("answers a store outage with 503 and leaves other errors to Nitro's handler", async (t) => {
    const errors = captureConsoleErrors(t)
    const cookie = cookiePair(await request(`${base}/login`))
    down = true
    try {
      const outage = await request(`${base}/me`, { cookie })
      assert.equal(outage.status, 503)
      assert.deepEqual(outage.setCookie, [])
      assert.match(String((outage.body as { detail: string }).detail), /store is unavailable/)
      assert.ok(errors().some((e) => e.includes('down')))
    } finally {
      down = false
    }
    const bug = await request(`${base}/fail`)
    assert.equal(bug.status, 500)
    assert.deepEqual(bug.body, { nitro: 500 })
  })
})
