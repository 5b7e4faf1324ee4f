/**
 * Random `Cookie` headers through every in-process adapter of the conformance suite (the suite's own
 * apps, test/adapter-suite/apps), with fast-check: repeated names, quoting, control characters, bytes
 * that are not UTF-8, lengths up to and past Node's header limit. None carries a valid session (the
 * cookies in it are foreign, expired or spoilt), so every answer must be below 500, and a 200 must
 * show an empty session and set no session cookie. Sent on a raw socket: an HTTP client would refuse
 * most of these bytes. The case count per adapter and the seed are in each test's name.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { CookieEngine } from '../../src/cookie-engine.ts'
import { express4App, express5App } from '../adapter-suite/apps/express.ts'
import { fastifyApp } from '../adapter-suite/apps/fastify.ts'
import { fetchNodeApp } from '../adapter-suite/apps/fetch.ts'
import { honoApp } from '../adapter-suite/apps/hono.ts'
import { koaApp } from '../adapter-suite/apps/koa.ts'
import { nodeSessionsApp, nodeWithSessionApp } from '../adapter-suite/apps/node.ts'
import { type AppFactory, clock, type EngineMode, type RunningApp } from '../adapter-suite/harness.ts'
import { cases, check } from '../support/properties.ts'

const KEY = 'suite-secret-0123456789-abcdefghijklmnop'
const MAX_AGE = 3600
/** HTTP cases per adapter and engine: enough to find a crash, few enough for CI. */
const RUNS: Record<EngineMode, number> = { cookie: 120, store: 40, unavailable: 0 }
const EMPTY = '{"value":null,"items":null,"user":null}'

const ADAPTERS: [string, AppFactory][] = [
  ['express 5', express5App],
  ['express 4', express4App],
  ['fastify 5', fastifyApp],
  ['koa 3', koaApp],
  ['hono', honoApp],
  ['node withSession', nodeWithSessionApp],
  ['node nodeSessions', nodeSessionsApp],
  ['fetch on node', fetchNodeApp],
]

/** Cookie values that look right and are not: another key's, expired, and one character spoilt. */
function nearMisses(): string[] {
  const mint = (secretKey: string, at: number) => {
    const engine = new CookieEngine({ secretKey, now: () => at })
    const set = engine.serialize({ user: 'mallory', value: 'x' })
    return set.slice(set.indexOf('=') + 1, set.indexOf(';'))
  }
  const valid = mint(KEY, clock.ms)
  const flipped = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A')
  return [
    mint('another-secret-0123456789-abcdefghijklmn', clock.ms),
    mint(KEY, clock.ms - 10 * MAX_AGE * 1000),
    flipped,
  ]
}

/** One byte of a header value: anything but CR and LF, which would end the header line. */
const headerByte = fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0d && b !== 0x0a)
const byteString = (maxLength: number) =>
  fc.array(headerByte, { maxLength }).map((bytes) => Buffer.from(bytes).toString('latin1'))

function cookieHeader(misses: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom(
      'session',
      'SESSION',
      ' session',
      'session ',
      '\tsession',
      '"session"',
      'session\u00a0',
      '\u00a0session',
      'other',
      '',
    ),
    byteString(8),
  )
  const value = fc.oneof(
    fc.constantFrom(...misses),
    fc.constantFrom(...misses).map((v) => `"${v}"`),
    fc.constantFrom(...misses).chain((v) => fc.nat(v.length - 1).map((n) => v.slice(0, n))),
    fc.constantFrom('', '""', '"', 'null', '=', '==', ';', '\\', '\u0000', '\u00ff\u00fe'),
    byteString(64),
    fc.integer({ min: 1000, max: 18_000 }).map((n) => 'a'.repeat(n)), // near and past the 16 KB limit
  )
  const pair = fc.tuple(name, fc.constantFrom('=', ' = ', '=='), value).map(([n, eq, v]) => `${n}${eq}${v}`)
  return fc
    .array(pair, { minLength: 1, maxLength: 6 })
    .chain((pairs) => fc.constantFrom('; ', ';', ' ;', ';;', ',').map((separator) => pairs.join(separator)))
}

interface RawAnswer {
  status: number
  head: string
  body: string
}

/** GET `path` with this Cookie header, bytes as given (latin1), on a fresh connection. */
function rawGet(app: RunningApp, path: string, cookie: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(app.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)
      if (!status) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`))
        return
      }
      const split = text.indexOf('\r\n\r\n')
      resolve({ status: Number(status[1]), head: text.slice(0, split), body: text.slice(split + 4) })
    })
    const request = `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`
    socket.end(Buffer.from(request, 'latin1'))
  })
}

for (const [name, factory] of ADAPTERS) {
  for (const mode of ['cookie', 'store'] as const) {
    describe(`random Cookie headers through ${name} (${mode} engine)`, () => {
      let app: RunningApp
      before(async () => {
        app = await factory({ mode, secretKey: [KEY], maxAge: MAX_AGE })
      })
      after(() => app.close())

      it(`always answer below 500 with an empty session (${cases(RUNS[mode])})`, async () => {
        const misses = nearMisses()
        await check(
          fc.asyncProperty(cookieHeader(misses), async (cookie) => {
            const answer = await rawGet(app, '/act/read', cookie)
            assert.ok(answer.status < 500, `status ${answer.status} for Cookie: ${JSON.stringify(cookie)}`)
            assert.doesNotMatch(answer.head, /^set-cookie: session=(?!null)/im, 'no session cookie is set')
            if (answer.status === 200)
              assert.ok(answer.body.includes(EMPTY), `session not empty: ${answer.body}`)
          }),
          RUNS[mode],
        )
        await app.clearErrors()
      })
    })
  }
}
