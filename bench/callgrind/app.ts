/**
 * The loop that bench/callgrind/run.ts runs under valgrind: `node app.mjs <scenario> <pool>
 * <checkpoint>...` sets up one scenario (bench/callgrind/scenarios.ts), then serves requests in
 * process with Hono's `app.request()`, each awaited before the next, and calls a marker function
 * after as many requests as each checkpoint says (the runner has callgrind dump its counters there).
 * The runner bundles this file once per checkout (esbuild, `tessera-session-source` condition), so
 * no TypeScript is compiled under valgrind.
 *
 * What the loop does besides the requests is the same whatever the checkpoints, and none of it falls
 * between two of them:
 * - `pool` (the runner passes its last checkpoint) distinct cookies are signed up front for
 *   `read-uncached`, whatever this run's checkpoints;
 * - cookies are signed here with node:crypto (the Starlette format written out), not with the code
 *   under test, so that setting up a scenario does not run (and warm up) tessera's code;
 * - the store scenarios create their one session with a request to `/setup` before the loop;
 * - the first and last responses are checked (status, body, Set-Cookie, Vary), so a fast wrong
 *   answer cannot count: the first before the first checkpoint, the last after the last one.
 *
 * The loop only awaits promises (no timer, no I/O), so no timer can fire inside it, and both engines
 * get a fixed clock (`now`), so the count does not depend on how fast the machine is.
 */
import { createHash, createHmac } from 'node:crypto'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { getPriority } from 'node:os'
import express from 'express'
import { Hono } from 'hono'
import Koa from 'koa'
import { sessions as expressSessions } from 'tessera-session/express'
import { type SessionEnv, sessions } from 'tessera-session/hono'
import { sessions as koaSessions } from 'tessera-session/koa'
import { withSession } from 'tessera-session/node'
import { createStoreEngine, memoryStore } from 'tessera-session/stores'

const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'
/** A typical small session: its cookie is about 150 bytes. */
const SESSION = { user: 'alice', count: 0, csrf: 'q3J0x9vV1m2Zb7LkPn4Rw8', cart: [12, 7, 33], theme: 'dark' }
const NOW_MS = Date.now()
const clock = () => NOW_MS

// Starlette's cookie, written out: itsdangerous' TimestampSigner with the "django-concat" key.
const KEY = createHash('sha1').update(`itsdangerous.Signersigner${SECRET}`).digest()
const seconds = Math.floor(NOW_MS / 1000)
const timestamp = Buffer.from(seconds.toString(16).padStart(8, '0'), 'hex').toString('base64url')
const signedPart = (data: object) => `${Buffer.from(JSON.stringify(data)).toString('base64')}.${timestamp}`
const sign = (signed: string) => `${signed}.${createHmac('sha1', KEY).update(signed).digest('base64url')}`
const cookieHeader = (value: string) => `session=${value}`

const TYPICAL_SIGNED = signedPart(SESSION)
const TYPICAL_COOKIE = cookieHeader(sign(TYPICAL_SIGNED))

interface Expect {
  body: unknown
  setCookie: boolean
  vary: boolean
}

interface Setup {
  /** One iteration; `i` counts from 0. */
  step(i: number): Promise<Response>
  /** The last iteration's response, for the checks, when `step` does not build one (Express). */
  last?(): Response
  /** What the response of iteration `i` must be. */
  expect(i: number): Expect
}

const ok = { ok: true }

/**
 * A GET request, built once and sent many times: `app.request(request)` hands it to `app.fetch` as it
 * is. Building a `Request` costs more than Hono's routing and tessera's session together, and it is
 * the same in every scenario; reusing it keeps the count of each request on what differs.
 */
const requestFor = (path: string, cookie: string | undefined) =>
  new Request(`http://localhost${path}`, cookie === undefined ? undefined : { headers: { cookie } })

type App = { request(request: Request): Response | Promise<Response> }
const send = (app: App, request: Request) => app.request(request) as Promise<Response>

function plainHono(middleware: 'none' | 'noop' | 'vary'): Setup {
  const app = new Hono()
  if (middleware === 'noop') {
    app.use(async (_c, next) => {
      await next()
    })
  } else if (middleware === 'vary') {
    app.use(async (c, next) => {
      c.header('Vary', 'Cookie', { append: true })
      await next()
    })
  }
  app.get('/', (c) => c.json(ok))
  // The same Cookie header as the session scenarios, so that only the middleware differs.
  const request = requestFor('/', TYPICAL_COOKIE)
  return {
    step: () => send(app, request),
    expect: () => ({ body: ok, setCookie: false, vary: middleware === 'vary' }),
  }
}

function cookieEngine(kind: 'untouched' | 'read' | 'read-uncached' | 'write' | 'new', pool: number): Setup {
  const app = new Hono<SessionEnv>()
  app.use(sessions({ secretKey: SECRET, now: clock }))
  let counter = 0
  app.get('/untouched', (c) => c.json(ok))
  app.get('/read', (c) => c.json({ user: c.var.session.get('user'), count: c.var.session.get('count') }))
  app.get('/write', (c) => {
    const count = ++counter
    c.var.session.set('count', count)
    return c.json({ count })
  })
  app.get('/new', (c) => {
    const user = `user${++counter}`
    c.var.session.set('user', user)
    return c.json({ user })
  })
  switch (kind) {
    case 'untouched': {
      const request = requestFor('/untouched', TYPICAL_COOKIE)
      return {
        step: () => send(app, request),
        expect: () => ({ body: ok, setCookie: false, vary: false }),
      }
    }
    case 'read': {
      const request = requestFor('/read', TYPICAL_COOKIE)
      return {
        step: () => send(app, request),
        expect: () => ({ body: { user: 'alice', count: 0 }, setCookie: false, vary: true }),
      }
    }
    case 'read-uncached': {
      const requests = Array.from({ length: pool }, (_, i) =>
        requestFor('/read', cookieHeader(sign(signedPart({ ...SESSION, count: i })))),
      )
      return {
        step: (i) => send(app, requests[i] as Request),
        expect: (i) => ({ body: { user: 'alice', count: i }, setCookie: false, vary: true }),
      }
    }
    case 'write': {
      const request = requestFor('/write', TYPICAL_COOKIE)
      return {
        step: () => send(app, request),
        expect: (i) => ({ body: { count: i + 1 }, setCookie: true, vary: true }),
      }
    }
    case 'new': {
      const request = requestFor('/new', undefined)
      return {
        step: () => send(app, request),
        expect: (i) => ({ body: { user: `user${i + 1}` }, setCookie: true, vary: true }),
      }
    }
  }
}

async function storeEngine(kind: 'store-read' | 'store-write'): Promise<Setup> {
  const engine = createStoreEngine({ secretKey: SECRET, store: memoryStore({ now: clock }), now: clock })
  const app = new Hono<SessionEnv>()
  app.use(sessions(engine))
  let counter = 0
  app.get('/setup', async (c) => {
    const session = await c.var.session.load()
    for (const [key, value] of Object.entries(SESSION)) session.set(key, value)
    return c.json(ok)
  })
  app.get('/read', async (c) => {
    const session = await c.var.session.load()
    return c.json({ user: session.get('user'), count: session.get('count') })
  })
  app.get('/write', async (c) => {
    const session = await c.var.session.load()
    const count = ++counter
    session.set('count', count)
    return c.json({ count })
  })
  const setCookie = (await send(app, requestFor('/setup', undefined))).headers.get('set-cookie')
  const value = setCookie?.match(/^session=([^;]+)/)?.[1]
  if (value === undefined) throw new Error(`store setup: no session cookie in ${String(setCookie)}`)
  const cookie = cookieHeader(value)
  const read = requestFor('/read', cookie)
  const write = requestFor('/write', cookie)
  return kind === 'store-read'
    ? {
        step: () => send(app, read),
        expect: () => ({ body: { user: 'alice', count: 0 }, setCookie: false, vary: true }),
      }
    : {
        step: () => send(app, write),
        // The id does not change: the cookie is not sent again.
        expect: (i) => ({ body: { count: i + 1 }, setCookie: false, vary: true }),
      }
}

/**
 * A `node:http` handler served in process: a request and response on one idle socket (never
 * connected), so the response's bytes stay in its `outputData`. The handler runs to its end before the
 * next request (Express's handlers are synchronous; Koa's and the Node adapter's promises are
 * awaited). Only the last response is turned into a `Response`, for the checks.
 */
function inProcess(handle: (req: IncomingMessage, res: ServerResponse) => unknown, expected: Expect): Setup {
  const socket = new Socket()
  let res: ServerResponse | undefined
  const done = Promise.resolve(undefined as unknown as Response)
  return {
    step() {
      const req = new IncomingMessage(socket)
      req.method = 'GET'
      req.url = '/'
      req.headers = { host: 'localhost', cookie: TYPICAL_COOKIE }
      res = new ServerResponse(req)
      const handled = handle(req, res)
      return handled instanceof Promise ? handled.then(() => done) : done
    },
    last() {
      const r = res as ServerResponse & { outputData: { data: string }[] }
      const raw = r.outputData.map((chunk) => String(chunk.data)).join('')
      const headers = new Headers()
      for (const [name, value] of Object.entries(r.getHeaders())) headers.set(name, String(value))
      return new Response(raw.slice(raw.indexOf('\r\n\r\n') + 4), { status: r.statusCode, headers })
    },
    expect: () => expected,
  }
}

/** The body the read scenarios answer, and whether a scenario varies on the cookie. */
const READ_BODY = { user: SESSION.user, count: SESSION.count }
const expectFor = (read: boolean, vary: boolean): Expect => ({
  body: read ? READ_BODY : ok,
  setCookie: false,
  vary: read || vary,
})

/** The bench's routes read keys of their own, outside the app's registered session type. */
type Readable = { get(key: string): unknown }

function expressApp(
  kind: 'express-bare' | 'express-noop' | 'express-vary' | 'express-untouched' | 'express-read',
): Setup {
  const app = express()
  if (kind === 'express-noop') app.use((_req, _res, next) => next())
  else if (kind === 'express-vary')
    app.use((_req, res, next) => {
      res.vary('Cookie')
      next()
    })
  else if (kind === 'express-untouched' || kind === 'express-read')
    app.use(expressSessions({ secretKey: SECRET, now: clock }))
  const read = kind === 'express-read'
  app.get('/', (req, res) => {
    const session = req.session as unknown as Readable
    res.json(read ? { user: session.get('user'), count: session.get('count') } : ok)
  })
  return inProcess(
    (req, res) => app(req as express.Request, res as express.Response),
    expectFor(read, kind === 'express-vary'),
  )
}

/** Koa 3, served in process through `app.callback()` (its promise is awaited). */
function koaApp(kind: 'koa-bare' | 'koa-noop' | 'koa-vary' | 'koa-untouched' | 'koa-read'): Setup {
  const app = new Koa()
  if (kind === 'koa-noop')
    app.use(async (_ctx, next) => {
      await next()
    })
  else if (kind === 'koa-vary')
    app.use(async (ctx, next) => {
      ctx.vary('Cookie')
      await next()
    })
  else if (kind === 'koa-untouched' || kind === 'koa-read')
    app.use(koaSessions({ secretKey: SECRET, now: clock }))
  const read = kind === 'koa-read'
  app.use((ctx) => {
    const session = ctx.session as unknown as Readable
    ctx.body = read ? { user: session.get('user'), count: session.get('count') } : ok
  })
  return inProcess(app.callback(), expectFor(read, kind === 'koa-vary'))
}

/**
 * Plain `node:http`: the handler answers JSON; the no-op reference wraps it in an async function
 * that awaits it, as `withSession` does.
 */
function nodeApp(kind: 'node-bare' | 'node-noop' | 'node-vary' | 'node-untouched' | 'node-read'): Setup {
  const read = kind === 'node-read'
  const answer = (res: ServerResponse, body: unknown) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
  const plain = (_req: IncomingMessage, res: ServerResponse) => answer(res, ok)
  let handle: (req: IncomingMessage, res: ServerResponse) => unknown
  if (kind === 'node-bare') handle = plain
  else if (kind === 'node-noop')
    handle = async (req, res) => {
      await plain(req, res)
    }
  else if (kind === 'node-vary')
    handle = async (req, res) => {
      res.setHeader('vary', 'Cookie')
      await plain(req, res)
    }
  else
    handle = withSession({ secretKey: SECRET, now: clock }, (_req, res, session) => {
      const s = session as unknown as Readable
      answer(res, read ? { user: s.get('user'), count: s.get('count') } : ok)
    })
  return inProcess(handle, expectFor(read, kind === 'node-vary'))
}

async function check(scenario: string, i: number, response: Response, expected: Expect): Promise<void> {
  const body: unknown = await response.json()
  const problems: string[] = []
  if (response.status !== 200) problems.push(`status ${response.status}`)
  if (JSON.stringify(body) !== JSON.stringify(expected.body))
    problems.push(`body ${JSON.stringify(body)}, expected ${JSON.stringify(expected.body)}`)
  const setCookie = response.headers.get('set-cookie')
  if ((setCookie !== null) !== expected.setCookie)
    problems.push(`Set-Cookie ${String(setCookie)}, expected ${expected.setCookie ? 'one' : 'none'}`)
  const vary = response.headers.get('vary')
  if ((vary === 'Cookie') !== expected.vary)
    problems.push(`Vary ${String(vary)}, expected ${expected.vary ? 'Cookie' : 'none'}`)
  if (problems.length > 0) throw new Error(`${scenario}, request ${i}: ${problems.join('; ')}`)
}

async function setup(scenario: string, pool: number): Promise<Setup> {
  switch (scenario) {
    case 'bare':
      return plainHono('none')
    case 'noop':
    case 'vary':
      return plainHono(scenario)
    case 'untouched':
    case 'read':
    case 'read-uncached':
    case 'write':
    case 'new':
      return cookieEngine(scenario, pool)
    case 'store-read':
    case 'store-write':
      return storeEngine(scenario)
    case 'express-bare':
    case 'express-noop':
    case 'express-vary':
    case 'express-untouched':
    case 'express-read':
      return expressApp(scenario)
    case 'koa-bare':
    case 'koa-noop':
    case 'koa-vary':
    case 'koa-untouched':
    case 'koa-read':
      return koaApp(scenario)
    case 'node-bare':
    case 'node-noop':
    case 'node-vary':
    case 'node-untouched':
    case 'node-read':
      return nodeApp(scenario)
    default:
      throw new Error(`unknown scenario "${scenario}"`)
  }
}

/**
 * Marks a checkpoint for valgrind: the runner starts callgrind with `--dump-before=uv_os_getpriority`,
 * so each call closes one part of the profile, and the part between two marks holds exactly the
 * requests served between them. Nothing else in Node or tessera calls it.
 */
function mark(): void {
  getPriority()
}

async function main(): Promise<void> {
  // app.mjs <scenario> <pool> <checkpoint>...: serves requests up to each checkpoint in turn, marking each.
  const [scenario = '', poolText = '', ...checkpointTexts] = process.argv.slice(2)
  const pool = Number(poolText)
  const checkpoints = checkpointTexts.map(Number)
  const n = checkpoints.at(-1) ?? 0
  const increasing = checkpoints.every((c, i) => Number.isInteger(c) && c > (checkpoints[i - 1] ?? 0))
  if (!(n > 0 && increasing && Number.isInteger(pool) && pool >= n))
    throw new Error('usage: app.mjs <scenario> <pool> <checkpoint>... (increasing, the last <= pool)')

  let i = 0
  if (scenario === 'hmac') {
    // The floor: what verifying the typical cookie costs at the least, one HMAC over its signed part.
    let digest: Buffer = Buffer.alloc(0)
    for (const checkpoint of checkpoints) {
      for (; i < checkpoint; i++) digest = createHmac('sha1', KEY).update(TYPICAL_SIGNED).digest()
      mark()
    }
    const expected = createHmac('sha1', KEY).update(TYPICAL_SIGNED).digest()
    if (!digest.equals(expected)) throw new Error('hmac: wrong digest')
  } else {
    const { step, expect, last } = await setup(scenario, pool)
    let response = await step(i)
    await check(scenario, i, last?.() ?? response, expect(i))
    i++
    for (const checkpoint of checkpoints) {
      for (; i < checkpoint; i++) response = await step(i)
      mark()
    }
    // Checked after the last mark, so that the check is in no measured part.
    await check(scenario, n - 1, last?.() ?? response, expect(n - 1))
  }
  console.log(JSON.stringify({ scenario, pool, checkpoints, ok: true }))
}

await main()
