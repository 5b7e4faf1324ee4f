/** Every framework example, over real HTTP: sign in, the guarded route, a counter, sign out. */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { createAdaptorServer } from '@hono/node-server'
import { createApp as expressApp } from './express/app.ts'
import { createApp as fastifyApp } from './fastify/app.ts'
import { createApp as fetchApp } from './fetch/app.ts'
import { createApp as honoApp } from './hono/app.ts'
import { createApp as koaApp } from './koa/app.ts'
import { createApp as nodeApp } from './node/app.ts'

const options = { secretKey: 'examples-secret-0123456789-abcdefghijkl' }

const servers: Record<string, () => Promise<Server>> = {
  express: async () => createServer(expressApp(options)),
  koa: async () => createServer(koaApp(options).callback()),
  hono: async () => createAdaptorServer({ fetch: honoApp(options).fetch }) as Server,
  fetch: async () => createAdaptorServer({ fetch: fetchApp(options) }) as Server,
  node: async () => nodeApp(options),
  fastify: async () => {
    const app = await fastifyApp(options)
    await app.ready()
    return app.server
  },
}

for (const [name, start] of Object.entries(servers)) {
  describe(`example: ${name}`, () => {
    it('signs in, guards /me, counts visits, signs out', async () => {
      const server = await start()
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      let cookie = ''
      const get = async (path: string) => {
        const response = await fetch(base + path, { headers: { cookie } })
        const set = response.headers.getSetCookie().find((c) => c.startsWith('session='))
        if (set !== undefined) cookie = set.split(';')[0] as string
        return { status: response.status, body: (await response.json()) as unknown }
      }
      try {
        assert.equal((await get('/me')).status, 401)
        assert.deepEqual(await get('/login?user=ada'), { status: 200, body: { ok: true } })
        assert.deepEqual(await get('/me'), { status: 200, body: { user: 'ada' } })
        assert.deepEqual((await get('/visits')).body, { visits: 1 })
        assert.deepEqual((await get('/visits')).body, { visits: 2 })
        await get('/logout')
        assert.equal(cookie, 'session=null', 'logout deletes the cookie')
        cookie = ''
        assert.equal((await get('/me')).status, 401)
      } finally {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    })
  })
}
