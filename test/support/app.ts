/**
 * A small Hono app on a store-backed engine, served over real HTTP, and a browser-like client that
 * keeps its cookie: what the store suite, the fault tests and the two-instance test talk to.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import type { StoreEngine } from 'tessera-session/stores'

/** The app: each route does one session operation and answers JSON. */
export function createStoreApp(engine: StoreEngine) {
  const app = new Hono<SessionEnv>()
  app.use(sessions(engine))
  app.get('/untouched', (c) => c.text('no session used'))
  app.get('/get', async (c) => {
    const session = await c.var.session.load()
    return c.json(session.data)
  })
  app.get('/set', async (c) => {
    const session = await c.var.session.load()
    session.set(c.req.query('k') ?? 'k', c.req.query('v') ?? '')
    return c.json('ok')
  })
  app.get('/delete', async (c) => {
    const session = await c.var.session.load()
    return c.json(session.delete(c.req.query('k') ?? 'k'))
  })
  app.get('/login', async (c) => {
    const session = await c.var.session.load()
    session.set('userId', c.req.query('user') ?? 'alice')
    if (c.req.query('remember') !== undefined) session.setPersistent(c.req.query('remember') === '1')
    session.regenerate()
    return c.json('ok')
  })
  app.get('/sessions', async (c) => {
    const session = await c.var.session.load()
    const user = session.get('userId') as string
    const current = session.handle
    const list = await engine.listSessions(user)
    return c.json(list.map((s) => ({ handle: s.handle, current: s.handle === current })))
  })
  app.get('/revoke', async (c) => {
    const session = await c.var.session.load()
    return c.json(await engine.revokeSession(session.get('userId') as string, c.req.query('handle') ?? ''))
  })
  app.get('/logout-everywhere', async (c) => {
    const session = await c.var.session.load()
    const ended = await engine.revokeAll(session.get('userId') as string, { except: session })
    session.clear()
    return c.json(ended + 1)
  })
  app.get('/logout', async (c) => {
    const session = await c.var.session.load()
    session.clear()
    return c.json('ok')
  })
  return app
}

/** Serves `app` (any Hono app) on a free loopback port. */
export async function serveApp(app: {
  fetch(request: Request): Response | Promise<Response>
}): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
  })
}

/** A response as the tests look at it. */
export interface Answer {
  status: number
  body: unknown
  setCookie: string | undefined
}

/** A client that keeps the session cookie between requests, as a browser does. */
export class CookieClient {
  /** The `name=value` pair sent back, or `undefined` before the first cookie. */
  cookie: string | undefined

  constructor(
    readonly baseUrl: string,
    readonly cookieName = 'session',
  ) {}

  async get(path: string, baseUrl = this.baseUrl): Promise<Answer> {
    const headers: Record<string, string> = this.cookie === undefined ? {} : { cookie: this.cookie }
    const response = await fetch(baseUrl + path, { headers })
    const text = await response.text()
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith(`${this.cookieName}=`))
    if (setCookie !== undefined) {
      const pair = setCookie.slice(0, setCookie.indexOf(';'))
      this.cookie = /Max-Age=0/.test(setCookie) ? undefined : pair
    }
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // Plain text answers (503) stay text.
    }
    return { status: response.status, body, setCookie }
  }
}
