import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { captureConsoleErrors } from '../../test/support/console.ts'
import { cookiePair, request } from '../../test/support/http.ts'
import { nodeSessions } from './node.ts'

const session = nodeSessions<{ visits?: number; big?: string }>({
  secretKey: 'node-adapter-secret-node-adapter-secret',
})
let server: Server
let base = ''

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/visit') {
      const s = session(req, res)
      s.set('visits', (s.get('visits') ?? 0) + 1)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(s.get('visits')))
    } else if (url.pathname === '/big') {
      session(req, res).set('big', 'x'.repeat(5000))
      res.writeHead(200, { 'content-type': 'application/json' }).end('"stored"')
    } else if (url.pathname === '/late') {
      res.end('"sent"')
      session(req, res).set('visits', 99)
    } else {
      res.end('"untouched"')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => server.close())

describe('nodeSessions', () => {
  it('counts visits across requests', async () => {
    const first = await request(`${base}/visit`)
    assert.equal(first.body, 1)
    assert.equal(first.headers.get('vary'), 'Cookie')
    assert.equal((await request(`${base}/visit`, { cookie: cookiePair(first) })).body, 2)
  })

  it('sends no Set-Cookie and no Vary on a route that never touches the session', async () => {
    const answer = await request(`${base}/other`, { cookie: 'session=garbage' })
    assert.deepEqual(answer.setCookie, [])
    assert.equal(answer.headers.get('vary'), null)
  })

  it('turns an oversized session into a 500 and leaves the client’s cookie alone', async (t) => {
    const logged = captureConsoleErrors(t)
    const answer = await request(`${base}/big`)
    assert.equal(answer.status, 500)
    assert.deepEqual(answer.setCookie, [])
    assert.match(logged().join('\n'), /^tessera: session cookie "session" would be \d+ bytes/)
  })

  it('a change after the response went out is reported, not lost silently, and does not crash', async (t) => {
    const logged = captureConsoleErrors(t)
    const answer = await request(`${base}/late`)
    assert.equal(answer.body, 'sent')
    assert.match(logged().join('\n'), /changed .* after its response headers were sent/)
  })
})
