import assert from 'node:assert/strict'
import { createServer, type Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createStoreEngine, memoryStore } from 'tessera-session/stores'
import { cookiePair, request } from '../../test/support/http.ts'
import { nodeSessions } from './node.ts'

const SECRET = 'node-response-secret-0123456789abcdef0123'
// Two session middlewares on one response: the second wraps the first one's wrappers.
const cookieSession = nodeSessions<{ n?: number }>({ secretKey: SECRET, sessionCookie: 'a' })
const storeSession = nodeSessions<{ n?: number }>(
  createStoreEngine({ secretKey: SECRET, sessionCookie: 'b', store: memoryStore() }),
)
let server: Server
let base = ''

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const a = cookieSession(req, res)
    const b = await storeSession(req, res).load()
    if (url.pathname === '/count') {
      a.set('n', (a.get('n') ?? 0) + 1)
      b.set('n', (b.get('n') ?? 0) + 10)
    }
    if (url.pathname === '/stream') {
      res.write('"')
      res.end('streamed"')
      return
    }
    res.end(JSON.stringify([a.get('n') ?? null, b.get('n') ?? null]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => server.close())

describe('two session middlewares on one node:http response', () => {
  it('each commits its own cookie, a synchronous and an asynchronous engine together', async () => {
    const first = await request(`${base}/count`)
    assert.deepEqual(first.body, [1, 10])
    const cookie = `${cookiePair(first, 'a')}; ${cookiePair(first, 'b')}`
    const second = await request(`${base}/count`, { cookie })
    assert.deepEqual(second.body, [2, 20])
    assert.equal(second.setCookie.length, 1, 'the store session keeps its id; the cookie one is re-issued')
    const next = `${cookiePair(second, 'a')}; ${cookiePair(first, 'b')}`
    const read = await request(`${base}/read`, { cookie: next })
    assert.deepEqual(read.body, [2, 20])
    assert.deepEqual(read.setCookie, [])
    assert.equal((await request(`${base}/stream`, { cookie: next })).body, 'streamed')
  })
})

describe('hooking the response lazily, on first session use', () => {
  it('leaves an untouched response its own methods, and commits a used one as before', async () => {
    const session = nodeSessions<{ n?: number }>({ secretKey: SECRET })
    const seen: boolean[] = []
    const lazy = createServer((req, res) => {
      const s = session(req, res)
      if (req.url === '/use') s.set('n', 1)
      seen.push(res.end === ServerResponse.prototype.end)
      res.end('ok')
    })
    await new Promise<void>((resolve) => lazy.listen(0, '127.0.0.1', resolve))
    const at = `http://127.0.0.1:${(lazy.address() as AddressInfo).port}`
    try {
      const untouched = await request(`${at}/untouched`)
      const used = await request(`${at}/use`)
      assert.deepEqual(seen, [true, false], 'only the used session hooks end()')
      assert.deepEqual(untouched.setCookie, [])
      assert.equal(untouched.headers.get('vary'), null)
      assert.ok(cookiePair(used).startsWith('session='))
      assert.equal(used.headers.get('vary'), 'Cookie')
    } finally {
      lazy.close()
    }
  })
})
