/**
 * The loop that bench/callgrind/run.ts runs under valgrind: `node app.mjs <scenario> <n> <pool>` sets up
 * one scenario (bench/callgrind/scenarios.ts), then serves `n` requests in process with Hono's
 * `app.request()`, each awaited before the next. The runner bundles this file once per checkout
 * (esbuild, `tessera-session-source` condition), so no TypeScript is compiled under valgrind.
 *
 * Everything outside the loop is the same whatever `n` is, so it cancels in I(high) - I(low):
 * - `pool` (the runner passes its largest `n`) distinct cookies are signed up front for
 *   `read-uncached`, whichever `n` this run serves;
 * - cookies are signed here with node:crypto (the Starlette format written out), not with the code
 *   under test, so setting up a scenario does not run (and warm up) tessera's own code;
 * - the store scenarios create their one session with a request to `/setup` before the loop;
 * - the first and last responses are checked (status, body, Set-Cookie, Vary), so a fast wrong
 *   answer cannot count; the first before the first checkpoint, the last after the last one.
 *
 * The loop only awaits promises (no timer, no I/O), so no timer can fire inside it, and both engines
 * get a fixed clock (`now`), so the count does not depend on how fast the machine is.
 */
import { createHash, createHmac } from 'node:crypto'
import { getPriority } from 'node:os'
import { Hono } from 'hono'
import { type SessionEnv, sessions } from 'tessera-session/hono'
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
  step(i: number): Promise<Response> | Buffer
  /** What the response of iteration `i` must be. */
  expect(i: number): Expect
}

const ok = { ok: true }
const get = (app: { request(path: string, init?: RequestInit): Response | Promise<Response> }) => {
  return (path: string, cookie: string | undefined) =>
    app.request(path, cookie === undefined ? undefined : { headers: { cookie } }) as Promise<Response>
}

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
  const request = get(app)
  // The same Cookie header as the session scenarios, so that only the middleware differs.
  return {
    step: () => request('/', TYPICAL_COOKIE),
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
  const request = get(app)
  switch (kind) {
    case 'untouched':
      return {
        step: () => request('/untouched', TYPICAL_COOKIE),
        expect: () => ({ body: ok, setCookie: false, vary: false }),
      }
    case 'read':
      return {
        step: () => request('/read', TYPICAL_COOKIE),
        expect: () => ({ body: { user: 'alice', count: 0 }, setCookie: false, vary: true }),
      }
    case 'read-uncached': {
      const cookies = Array.from({ length: pool }, (_, i) =>
        cookieHeader(sign(signedPart({ ...SESSION, count: i }))),
      )
      return {
        step: (i) => request('/read', cookies[i]),
        expect: (i) => ({ body: { user: 'alice', count: i }, setCookie: false, vary: true }),
      }
    }
    case 'write':
      return {
        step: () => request('/write', TYPICAL_COOKIE),
        expect: (i) => ({ body: { count: i + 1 }, setCookie: true, vary: true }),
      }
    case 'new':
      return {
        step: () => request('/new', undefined),
        expect: (i) => ({ body: { user: `user${i + 1}` }, setCookie: true, vary: true }),
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
  const request = get(app)
  const setCookie = (await request('/setup', undefined)).headers.get('set-cookie')
  const value = setCookie?.match(/^session=([^;]+)/)?.[1]
  if (value === undefined) throw new Error(`store setup: no session cookie in ${String(setCookie)}`)
  const cookie = cookieHeader(value)
  return kind === 'store-read'
    ? {
        step: () => request('/read', cookie),
        expect: () => ({ body: { user: 'alice', count: 0 }, setCookie: false, vary: true }),
      }
    : {
        step: () => request('/write', cookie),
        // The id does not change: the cookie is not sent again.
        expect: (i) => ({ body: { count: i + 1 }, setCookie: false, vary: true }),
      }
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
    default:
      throw new Error(`unknown scenario "${scenario}"`)
  }
}

/**
 * Marks a checkpoint for valgrind: the runner starts callgrind with `--dump-before=uv_os_getpriority`,
 * so each call closes one part of the profile, and the part between two marks holds exactly the
 * requests served between them. Nothing else in Node or tessera calls it.
 *
 * A full garbage collection first: every part then starts with an empty young generation and no
 * garbage left by the requests before it, and ends with the garbage of its own requests collected.
 * Without it, whether a window of requests happens to include one of V8's rare full collections
 * moves its count by a third or more; the cost of the collection itself is measured by a part that
 * holds nothing else (see the runner).
 */
function mark(): void {
  collectGarbage()
  getPriority()
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? missingGc

function missingGc(): never {
  throw new Error('run with node --expose-gc')
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
    mark()
    const expected = createHmac('sha1', KEY).update(TYPICAL_SIGNED).digest()
    if (!digest.equals(expected)) throw new Error('hmac: wrong digest')
  } else {
    const { step, expect } = await setup(scenario, pool)
    let response = await (step(i) as Promise<Response>)
    await check(scenario, i, response, expect(i))
    i++
    for (const checkpoint of checkpoints) {
      for (; i < checkpoint; i++) response = await (step(i) as Promise<Response>)
      mark()
    }
    // A part with a collection and nothing else, whose count the runner subtracts.
    mark()
    // Checked after the last mark, so that the check is in no measured part.
    await check(scenario, n - 1, response, expect(n - 1))
  }
  console.log(JSON.stringify({ scenario, pool, checkpoints, ok: true }))
}

await main()
