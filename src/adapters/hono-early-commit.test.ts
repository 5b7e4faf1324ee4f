/**
 * The Hono adapter's early commit: the session's headers are put on the response when the handler
 * builds it, and corrected afterwards when that was too early. Every case runs twice: through
 * `app.request()` (standard Response objects) and through a real @hono/node-server on loopback
 * (its lightweight Response objects, where the fast path matters).
 */
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { createSessionEngine } from 'tessera-session'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { createStoreEngine, memoryStore } from 'tessera-session/stores'
import { captureConsoleErrors } from '../../test/support/console.ts'

const secretKey = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz'
// The cookies minted here, the app and the decoding below share one clock that never moves.
const NOW = Date.UTC(2026, 0, 1)
const now = () => NOW
const engine = createSessionEngine({ secretKey, now })

type Data = { user?: string; count?: number; cart?: string[]; blob?: string }

/** A cookie carrying `data`, as a browser would send it back. */
function cookieOf(data: Data): string {
  const setCookie = engine.serialize(data)
  return setCookie.slice(0, setCookie.indexOf(';'))
}

/** The session data a response's Set-Cookie carries, or undefined when it sets none for `session`. */
function sessionsSet(res: Response): (Record<string, unknown> | null)[] {
  return res.headers
    .getSetCookie()
    .filter((c) => c.startsWith('session='))
    .map((c) => {
      const value = c.slice('session='.length, c.indexOf(';'))
      if (value === 'null') return null // a deletion
      return JSON.parse(engine.format.decode(value, NOW / 1000).json)
    })
}

function varyTokens(res: Response): string[] {
  return (res.headers.get('vary') ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
}

const app = new Hono<SessionEnv<Data>>()
app.onError((_error, c) => c.text('failed', 500))
app.use(sessions<Data>({ secretKey, now }))
// A middleware inside the session one that writes to the session after the handler.
app.use('/touch-after/*', async (c, next) => {
  await next()
  c.var.session.set('count', 99)
})
app.get('/read', (c) => c.text(c.var.session.get('user') ?? 'nobody'))
app.get('/write', (c) => {
  c.var.session.set('count', (c.var.session.get('count') ?? 0) + 1)
  return c.text('written')
})
app.get('/untouched', (c) => c.text('ok'))
app.get('/write-after-build', (c) => {
  const res = c.text('built first')
  c.var.session.set('user', 'late')
  return res
})
app.get('/write-before-and-after-build', (c) => {
  c.var.session.set('user', 'early')
  const res = c.json({ ok: true })
  c.var.session.set('user', 'late')
  return res
})
app.get('/nested-after-build', (c) => {
  const cart = c.var.session.get('cart') ?? []
  const res = c.text('cart')
  cart.push('pear')
  if (!c.var.session.has('cart')) c.var.session.set('cart', cart)
  return res
})
app.get('/own-response', (c) => {
  c.var.session.set('user', 'own')
  return new Response('made by hand', { headers: { 'x-own': '1' } })
})
const shared = new Response(null, { status: 204 })
app.get('/shared', (c) => {
  c.var.session.set('user', c.req.query('user') ?? 'x')
  return shared
})
app.get('/other-cookies', (c) => {
  c.header('Set-Cookie', 'before=1; Path=/', { append: true })
  c.var.session.set('user', 'with-others')
  const res = c.text('cookies')
  return res
})
app.get('/other-cookie-after-write-after-build', (c) => {
  c.header('Set-Cookie', 'before=1; Path=/', { append: true })
  c.var.session.set('user', 'first')
  const res = c.text('cookies')
  c.var.session.set('user', 'second')
  return res
})
app.get('/throw-after-build', (c) => {
  c.var.session.set('user', 'never')
  c.text('discarded')
  throw new Error('boom')
})
app.get('/throw-before', () => {
  throw new Error('boom')
})
app.get('/too-large', (c) => {
  c.var.session.set('blob', 'x'.repeat(5000))
  return c.text('too large')
})
app.get('/clear', (c) => {
  c.var.session.clear()
  return c.text('cleared')
})
app.get('/login', (c) => {
  c.var.session.set('user', 'alice')
  return c.redirect('/read')
})
app.get('/touch-after/x', (c) => c.text('inner'))
// The hook comes with the session's first use: what the app did to the context before it still counts.
app.get('/caching-before-use', (c) => {
  c.header('Cache-Control', 'max-age=60, private')
  c.var.session.set('user', 'cached')
  return c.text('cached')
})
app.get('/caching-in-builder', (c) => {
  c.var.session.set('user', 'builder')
  return c.text('builder', 200, { 'Cache-Control': 'no-cache' })
})
// First used only inside the streamed body, after the middleware finished: too late for a cookie.
app.get('/first-use-in-stream', (c) =>
  stream(c, async (s) => {
    await s.write('streamed')
    c.var.session.set('user', 'too late')
  }),
)
/** Whether the context's `json` was Hono's own (named `json`; the adapter's wrapper is anonymous) when the handler ran. */
let ownBuilders: boolean | undefined
app.get('/builders-untouched', (c) => {
  ownBuilders = Object.getOwnPropertyDescriptor(c, 'json')?.value?.name === 'json'
  return c.text('ok')
})
app.get('/builders-used', (c) => {
  c.var.session.get('user')
  ownBuilders = Object.getOwnPropertyDescriptor(c, 'json')?.value?.name === 'json'
  return c.text('ok')
})
// The builder is taken before the session's first use (its argument reads the session): the response
// is not the wrapper's, and only Vary can need a correction.
app.get('/read-in-builder-argument', (c) => c.json({ user: c.var.session.get('user') ?? null }))
app.get('/read-in-builder-argument-own-vary', (c) => {
  c.header('Vary', 'Accept')
  return c.json({ user: c.var.session.get('user') ?? null })
})
app.get('/read-in-builder-argument-vary-cookie', (c) => {
  c.header('Vary', 'Cookie', { append: true })
  return c.json({ user: c.var.session.get('user') ?? null })
})
app.get('/read-after-build', (c) => {
  const res = c.text('built')
  c.var.session.get('user')
  return res
})

let server: ServerType
let base: string
before(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

const transports = {
  'app.request': (path: string, cookie?: string) =>
    app.request(path, { headers: cookie ? { cookie } : {} }) as Promise<Response>,
  'node-server over HTTP': (path: string, cookie?: string) =>
    fetch(base + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' }),
}

for (const [name, get] of Object.entries(transports)) {
  describe(`hono adapter through ${name}`, () => {
    test('a read sends Vary: Cookie and no cookie', async () => {
      const res = await get('/read', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'alice')
      assert.deepEqual(varyTokens(res), ['cookie'])
      assert.deepEqual(sessionsSet(res), [])
    })

    test('a write sends one cookie with the new data', async () => {
      const res = await get('/write', cookieOf({ user: 'alice', count: 1 }))
      assert.equal(await res.text(), 'written')
      assert.deepEqual(sessionsSet(res), [{ user: 'alice', count: 2 }])
      assert.deepEqual(varyTokens(res), ['cookie'])
    })

    test('a request without a cookie gets a new session', async () => {
      const res = await get('/write')
      assert.deepEqual(sessionsSet(res), [{ count: 1 }])
    })

    test('a route that never touches the session gets no session header', async () => {
      const res = await get('/untouched', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'ok')
      assert.equal(res.headers.get('vary'), null)
      assert.deepEqual(res.headers.getSetCookie(), [])
    })

    test('a change made after the response was built still reaches the client', async () => {
      const res = await get('/write-after-build', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'built first')
      assert.deepEqual(sessionsSet(res), [{ user: 'late' }])
      assert.deepEqual(varyTokens(res), ['cookie'])
    })

    test('a change after an early cookie replaces it: one cookie, the final data', async () => {
      const res = await get('/write-before-and-after-build', cookieOf({ user: 'alice' }))
      assert.deepEqual(await res.json(), { ok: true })
      assert.deepEqual(sessionsSet(res), [{ user: 'late' }])
      assert.deepEqual(varyTokens(res), ['cookie'])
    })

    test('a nested value changed after the response was built is saved', async () => {
      const res = await get('/nested-after-build', cookieOf({ cart: ['apple'] }))
      assert.deepEqual(sessionsSet(res), [{ cart: ['apple', 'pear'] }])
    })

    test('a session first read after the response was built still sends Vary', async () => {
      const res = await get('/read-after-build', cookieOf({ user: 'alice' }))
      assert.deepEqual(varyTokens(res), ['cookie'])
      assert.deepEqual(sessionsSet(res), [])
    })

    test('a read inside the builder call sends Cookie in Vary once, and no cookie or Cache-Control', async () => {
      for (const [path, vary] of [
        ['/read-in-builder-argument', ['cookie']],
        ['/read-in-builder-argument-own-vary', ['accept', 'cookie']],
        ['/read-in-builder-argument-vary-cookie', ['cookie']],
      ] as const) {
        const res = await get(path, cookieOf({ user: 'alice' }))
        assert.deepEqual(await res.json(), { user: 'alice' }, path)
        assert.deepEqual(varyTokens(res), vary, path)
        assert.deepEqual(res.headers.getSetCookie(), [], path)
        assert.equal(res.headers.get('cache-control'), null, path)
      }
    })

    test("a Response the handler made itself gets the session's headers", async () => {
      const res = await get('/own-response', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'made by hand')
      assert.equal(res.headers.get('x-own'), '1')
      assert.deepEqual(sessionsSet(res), [{ user: 'own' }])
      assert.deepEqual(varyTokens(res), ['cookie'])
    })

    test('a Response object shared between requests is never altered', async () => {
      const first = await get('/shared?user=first')
      const second = await get('/shared?user=second')
      assert.deepEqual(sessionsSet(first), [{ user: 'first' }])
      assert.deepEqual(sessionsSet(second), [{ user: 'second' }])
      assert.deepEqual(shared.headers.getSetCookie(), [])
      assert.equal(shared.headers.get('vary'), null)
    })

    test("the handler's own cookies are kept", async () => {
      const res = await get('/other-cookies')
      const cookies = res.headers.getSetCookie()
      assert.ok(cookies.includes('before=1; Path=/'), cookies.join(' | '))
      assert.deepEqual(sessionsSet(res), [{ user: 'with-others' }])
    })

    test("the handler's own cookies are kept when the session cookie is replaced", async () => {
      const res = await get('/other-cookie-after-write-after-build')
      const cookies = res.headers.getSetCookie()
      assert.ok(cookies.includes('before=1; Path=/'), cookies.join(' | '))
      assert.deepEqual(sessionsSet(res), [{ user: 'second' }])
    })

    test('a handler that throws after building a response leaves the cookie as it was', async () => {
      const res = await get('/throw-after-build', cookieOf({ user: 'alice' }))
      assert.equal(res.status, 500)
      assert.equal(await res.text(), 'failed')
      assert.deepEqual(sessionsSet(res), [])
    })

    test('a handler that throws before using the session sends no session header', async () => {
      const res = await get('/throw-before', cookieOf({ user: 'alice' }))
      assert.equal(res.status, 500)
      assert.deepEqual(res.headers.getSetCookie(), [])
    })

    test('a session too large for a cookie fails the request instead of losing the change', async (t) => {
      const logged = captureConsoleErrors(t)
      const res = await get('/too-large', cookieOf({ user: 'alice' }))
      assert.equal(res.status, 500)
      assert.deepEqual(sessionsSet(res), [])
      assert.match(logged().join('\n'), /^tessera: session cookie "session" would be \d+ bytes/)
    })

    test('clearing a session deletes the cookie', async () => {
      const res = await get('/clear', cookieOf({ user: 'alice' }))
      assert.deepEqual(sessionsSet(res), [null])
    })

    test('a redirect carries the new session', async () => {
      const res = await get('/login')
      assert.equal(res.status, 302)
      assert.equal(res.headers.get('location'), '/read')
      assert.deepEqual(sessionsSet(res), [{ user: 'alice' }])
    })

    test('a middleware that writes after the handler is saved too', async () => {
      const res = await get('/touch-after/x', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'inner')
      assert.deepEqual(sessionsSet(res), [{ user: 'alice', count: 99 }])
      assert.deepEqual(varyTokens(res), ['cookie'])
    })

    test("the app's Cache-Control, set before the session's first use or in the builder, is kept", async () => {
      const before = await get('/caching-before-use', cookieOf({ user: 'alice' }))
      assert.deepEqual(sessionsSet(before), [{ user: 'cached' }])
      assert.equal(before.headers.get('cache-control'), 'max-age=60, private')
      const builder = await get('/caching-in-builder', cookieOf({ user: 'alice' }))
      assert.deepEqual(sessionsSet(builder), [{ user: 'builder' }])
      assert.equal(builder.headers.get('cache-control'), 'no-cache')
      const own = await get('/write', cookieOf({ user: 'alice' }))
      assert.equal(own.headers.get('cache-control'), 'private, no-store')
    })

    test("a route that never touches the session keeps Hono's own builders; a used one is hooked", async () => {
      ownBuilders = undefined
      await (await get('/builders-untouched', cookieOf({ user: 'alice' }))).text()
      assert.equal(ownBuilders, true)
      await (await get('/builders-used', cookieOf({ user: 'alice' }))).text()
      assert.equal(ownBuilders, false)
    })

    test('a session first used in a streamed body after the headers left reports the lost write', async (t) => {
      const logged = captureConsoleErrors(t)
      const res = await get('/first-use-in-stream', cookieOf({ user: 'alice' }))
      assert.equal(await res.text(), 'streamed')
      assert.deepEqual(sessionsSet(res), [])
      assert.match(logged().join('\n'), /was changed \(key "user"\) after its response headers were sent/)
    })

    test('a tampered cookie gives an empty session, not an error', async () => {
      const cookie = cookieOf({ user: 'alice' })
      const res = await get('/read', `${cookie.slice(0, -2)}xx`)
      assert.equal(res.status, 200)
      assert.equal(await res.text(), 'nobody')
    })
  })
}

describe('hono adapter with a store engine: the same early headers as cookie sessions', () => {
  const store = createStoreEngine({ secretKey, now, store: memoryStore({ sweepInterval: 0, now }) })
  const storeApp = new Hono<SessionEnv<Data>>()
  storeApp.use(sessions(store))
  const sharedResponse = new Response(null, { status: 204 })
  storeApp.get('/write', async (c) => {
    const session = await c.var.session.load()
    session.set('user', c.req.query('user') ?? 'x')
    return c.text('written')
  })
  storeApp.get('/read', async (c) => c.text((await c.var.session.load()).get('user') ?? 'nobody'))
  // A read after `await load()` puts Vary on the built response in place (#varyAfter); the same
  // answers as the slow path's: a handler's own Response, a builder taken before the load.
  storeApp.get('/read-own-vary', async (c) => {
    const user = (await c.var.session.load()).get('user') ?? 'nobody'
    c.header('Vary', 'Accept')
    return c.text(user)
  })
  storeApp.get('/read-vary-cookie', async (c) => {
    const user = (await c.var.session.load()).get('user') ?? 'nobody'
    c.header('Vary', 'Cookie', { append: true })
    return c.text(user)
  })
  storeApp.get('/read-own-response', async (c) => {
    const user = (await c.var.session.load()).get('user') ?? 'nobody'
    return new Response(user, { headers: { vary: 'Accept' } })
  })
  storeApp.get('/read-builder-first', async (c) => {
    // Taken before the load hooks the builders: Hono's own builder makes the response.
    const text = c.text
    return text((await c.var.session.load()).get('user') ?? 'nobody')
  })
  storeApp.get('/shared', async (c) => {
    ;(await c.var.session.load()).set('user', 'shared')
    return sharedResponse
  })
  let storeServer: ServerType
  let storeBase: string
  before(async () => {
    await new Promise<void>((resolve) => {
      storeServer = serve({ fetch: storeApp.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve())
    })
    storeBase = `http://127.0.0.1:${(storeServer.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => storeServer.close(() => resolve())))

  const cookieFrom = (res: Response) => (res.headers.getSetCookie()[0] ?? '').split(';')[0] as string

  test('a new session is stored and read back, with Vary on both answers', async () => {
    const written = await fetch(`${storeBase}/write?user=bob`)
    assert.equal(await written.text(), 'written')
    assert.deepEqual(varyTokens(written), ['cookie'])
    const cookie = cookieFrom(written)
    assert.match(cookie, /^session=/)
    const read = await fetch(`${storeBase}/read`, { headers: { cookie } })
    assert.equal(await read.text(), 'bob')
    assert.deepEqual(varyTokens(read), ['cookie'])
    assert.deepEqual(read.headers.getSetCookie(), [])
  })

  test('a loaded, unchanged session gets Cookie in Vary once, after the build or the slow way alike', async () => {
    const cookie = cookieFrom(await fetch(`${storeBase}/write?user=carol`))
    for (const [path, vary] of [
      ['/read', ['cookie']],
      ['/read-own-vary', ['accept', 'cookie']],
      ['/read-vary-cookie', ['cookie']],
      ['/read-own-response', ['accept', 'cookie']],
      ['/read-builder-first', ['cookie']],
    ] as const) {
      for (const res of [
        await fetch(`${storeBase}${path}`, { headers: { cookie } }),
        await storeApp.request(path, { headers: { cookie } }),
      ]) {
        assert.equal(await res.text(), 'carol', path)
        assert.deepEqual(varyTokens(res), vary, path)
        assert.deepEqual(res.headers.getSetCookie(), [], path)
        assert.equal(res.headers.get('cache-control'), null, path)
      }
    }
    const changed = await fetch(`${storeBase}/write?user=dave`, { headers: { cookie } })
    assert.deepEqual(varyTokens(changed), ['cookie'])
    assert.deepEqual(changed.headers.getSetCookie(), [], 'the id stays: no cookie')
    const read = await storeApp.request('/read', { headers: { cookie } })
    assert.equal(await read.text(), 'dave')
  })

  test('a Response object shared between requests is never altered', async () => {
    const first = await fetch(`${storeBase}/shared`)
    const second = await fetch(`${storeBase}/shared`)
    assert.equal(first.status, 204)
    assert.equal(first.headers.getSetCookie().length, 1)
    assert.notEqual(cookieFrom(first), cookieFrom(second))
    assert.deepEqual(sharedResponse.headers.getSetCookie(), [])
    assert.equal(sharedResponse.headers.get('vary'), null)
  })
})
