/**
 * The adapter conformance suite: the same HTTP-level cases against every adapter, with the real
 * framework over real HTTP on 127.0.0.1. Each adapter runs it on the cookie engine and on the real
 * store engine (a memory store), plus a store engine whose store is down. Where the engines differ
 * (what the cookie holds, the cookie size limit), the expectation follows the mode's capability.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { SessionData } from '../../src/session.ts'
import { hostileCookieHeaders } from '../support/cookies.ts'
import {
  type AppFactory,
  type AppSetup,
  clock,
  type EngineMode,
  mintCookie,
  type RunningApp,
} from './harness.ts'

const KEY = 'suite-secret-0123456789-abcdefghijklmnop'
const NEW_KEY = 'suite-rotated-secret-0123456789-qrstuvwxyz'
const MAX_AGE = 3600
const START = Date.UTC(2026, 0, 1)

interface Answer {
  status: number
  body: string
  setCookies: string[]
  vary: string
  cacheControl: string
  location: string
  contentType: string
  json(): unknown
}

async function get(app: RunningApp, path: string, cookie?: string): Promise<Answer> {
  const response = await fetch(app.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  const body = await response.text()
  return {
    status: response.status,
    body,
    setCookies: response.headers.getSetCookie(),
    vary: response.headers.get('vary') ?? '',
    cacheControl: response.headers.get('cache-control') ?? '',
    location: response.headers.get('location') ?? '',
    contentType: response.headers.get('content-type') ?? '',
    json: () => JSON.parse(body),
  }
}

/** The `name=value` pair of the session cookie in an answer. */
function sessionCookie(answer: Answer): string {
  const header = answer.setCookies.find((c) => c.startsWith('session='))
  assert.ok(header, `expected a session Set-Cookie, got ${JSON.stringify(answer.setCookies)}`)
  return header.split(';')[0] as string
}

/** The cookie a browser holds after `answer`: the new one it set, else the one it had. */
function heldCookie(answer: Answer, previous: string): string {
  return answer.setCookies.some((c) => c.startsWith('session=')) ? sessionCookie(answer) : previous
}

function hasNoSessionCookie(answer: Answer): void {
  assert.deepEqual(
    answer.setCookies.filter((c) => c.startsWith('session=')),
    [],
    'expected no session Set-Cookie',
  )
}

function variesOnCookie(answer: Answer): boolean {
  return answer.vary
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('cookie')
}

type Where = 'in-process' | 'runtime'

/** A cookie for `data` as `app` (on `mode`, with the suite's key) would mint it; see `RunningApp.mint`. */
function mint(app: RunningApp, mode: EngineMode, data: SessionData, where: Where): Promise<string> {
  if (app.mint) return app.mint(data)
  // This process's store is not a runtime app's: a cookie minted here would name an unknown session.
  if (where === 'runtime') throw new Error('an app in another runtime must offer mint()')
  return mintCookie(mode, [KEY], data)
}

/**
 * Runs every case against the app `factory` starts. Apps in another runtime (Bun, Deno) keep store
 * sessions in their own process's memory store and mint their own cookies (`RunningApp.mint`).
 */
export function adapterSuite(name: string, factory: AppFactory, where: Where = 'in-process'): void {
  describe(`adapter ${name}`, () => {
    for (const mode of ['cookie', 'store'] as const) modeSuite(factory, mode, where)
    chunkedSuite(factory)
    storeDownSuite(factory, where)
  })
}

function modeSuite(factory: AppFactory, mode: EngineMode, where: Where): void {
  describe(`on the ${mode} engine`, () => {
    let app: RunningApp
    let rotated: RunningApp
    let browser: RunningApp
    const setup = (secretKey: string[], maxAge: number | null): AppSetup => ({ mode, secretKey, maxAge })

    before(async () => {
      clock.ms = START
      app = await factory(setup([KEY], MAX_AGE))
      rotated = await factory(setup([NEW_KEY, KEY], MAX_AGE))
      browser = await factory(setup([KEY], null))
      for (const a of [app, rotated, browser]) await a.setClock(START)
    })
    after(async () => {
      for (const a of [app, rotated, browser]) await a?.close()
    })

    it('creates a session and reads it back', async () => {
      const created = await get(app, '/act/set?value=a%2Bb')
      assert.equal(created.status, 200)
      const cookie = sessionCookie(created)
      const read = await get(app, '/act/read', cookie)
      assert.deepEqual(read.json(), { value: 'a+b', items: null, user: null })
    })

    it('keeps a response that sets the cookie out of every cache, unless the app said otherwise', async () => {
      const created = await get(app, '/act/set?value=c')
      assert.equal(created.cacheControl, 'private, no-store')
      const read = await get(app, '/act/read', sessionCookie(created))
      assert.equal(read.cacheControl, '', 'a response without Set-Cookie keeps its caching as it is')
      const own = await get(app, '/headers')
      sessionCookie(own)
      assert.equal(own.cacheControl, 'max-age=0, private')
    })

    it('writes Set-Cookie raw: the Starlette value is not percent-encoded', async () => {
      const created = await get(app, '/act/set?value=%3E%3E%3E%3E%3E%3F%3F%3F')
      const value = sessionCookie(created).slice('session='.length)
      assert.doesNotMatch(value, /%/)
      if (mode === 'store') {
        // The cookie holds only the signed id, in URL-safe base64.
        assert.match(value, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/)
        return
      }
      assert.match(value, /^[A-Za-z0-9+/=]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      assert.ok(value.includes('+'), `this value's base64 has a "+": ${value}`)
    })

    it('modifies a session: nested values and repeated writes', async () => {
      let cookie = sessionCookie(await get(app, '/act/append?item=one'))
      const second = await get(app, '/act/append?item=two', cookie)
      cookie = heldCookie(second, cookie)
      assert.deepEqual((await get(app, '/act/read', cookie)).json(), {
        value: null,
        items: ['one', 'two'],
        user: null,
      })
    })

    it('clears a session: the cookie is deleted', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=x'))
      const cleared = await get(app, '/act/clear', cookie)
      const header = cleared.setCookies.find((c) => c.startsWith('session='))
      assert.ok(header)
      assert.match(header, /Max-Age=0|expires=Thu, 01 Jan 1970/i)
    })

    it('sends no Set-Cookie and no Vary when the session is untouched', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=x'))
      const untouched = await get(app, '/act/untouched', cookie)
      assert.equal(untouched.status, 200)
      hasNoSessionCookie(untouched)
      assert.equal(variesOnCookie(untouched), false)
    })

    it('sends Vary: Cookie when the session was read, and no Set-Cookie when unchanged', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=x'))
      const read = await get(app, '/act/read', cookie)
      assert.ok(variesOnCookie(read), `Vary was ${JSON.stringify(read.vary)}`)
      hasNoSessionCookie(read)
    })

    it("appends to the handler's own Set-Cookie and Vary instead of replacing them", async () => {
      const answer = await get(app, '/headers')
      assert.ok(
        answer.setCookies.some((c) => c.startsWith('other=1')),
        JSON.stringify(answer.setCookies),
      )
      sessionCookie(answer)
      assert.match(answer.vary, /accept-encoding/i)
      assert.ok(variesOnCookie(answer))
    })

    it('sets the cookie on a redirect (the usual answer to a sign-in form)', async () => {
      const redirected = await get(app, '/redirect')
      assert.equal(redirected.status, 302)
      assert.match(redirected.location, /\/act\/read$/)
      const read = await get(app, '/act/read', sessionCookie(redirected))
      assert.deepEqual(read.json(), { value: 'r', items: null, user: null })
    })

    // Two apps in other runtimes are two processes, each with its own memory store.
    const shareNoStore =
      where === 'runtime' && mode === 'store' && 'the two apps are processes with their own stores'
    it('re-issues a cookie signed by an older key with the new one', { skip: shareNoStore }, async () => {
      const old = sessionCookie(await get(app, '/act/set?value=rotate'))
      const read = await get(rotated, '/act/read', old)
      assert.deepEqual(read.json(), { value: 'rotate', items: null, user: null })
      const reissued = sessionCookie(read)
      assert.notEqual(reissued, old)
      hasNoSessionCookie(await get(rotated, '/act/read', reissued))
    })

    it('expires a session after maxAge on the injected clock', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=old'))
      await app.setClock(START + (MAX_AGE - 10) * 1000)
      assert.deepEqual((await get(app, '/act/read', cookie)).json(), {
        value: 'old',
        items: null,
        user: null,
      })
      await app.setClock(START + (MAX_AGE + 1) * 1000)
      const expired = await get(app, '/act/read', cookie)
      await app.setClock(START)
      assert.equal(expired.status, 200)
      assert.deepEqual(expired.json(), { value: null, items: null, user: null })
    })

    it('turns tampered and malformed cookies into an empty session, never a 5xx', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=x'))
      for (const header of hostileCookieHeaders(cookie)) {
        const answer = await get(app, '/act/read', header)
        assert.equal(answer.status, 200, header)
        assert.deepEqual(answer.json(), { value: null, items: null, user: null }, header)
      }
    })

    it('turns authentic data that fails the schema into an empty session, and reports it', async () => {
      const minted = await mint(app, mode, { value: 42 }, where)
      await app.clearErrors()
      const read = await get(app, '/act/read', minted)
      assert.equal(read.status, 200)
      assert.deepEqual(read.json(), { value: null, items: null, user: null })
      assert.ok((await app.errors()).some((e) => e.includes('invalid session: InvalidSessionData')))
    })

    it('answers 500 for a session too large for a cookie, and leaves the previous cookie alone', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=kept'))
      await app.clearErrors()
      const big = await get(app, '/act/big', cookie)
      if (mode === 'store') {
        // Only the id travels in the cookie: a store keeps sessions of any size.
        assert.equal(big.status, 200)
        return
      }
      assert.equal(big.status, 500)
      hasNoSessionCookie(big)
      assert.ok(
        (await app.errors()).some(
          (e) => e.includes('CookieTooLarge') || e.includes('over the browser limit'),
        ),
      )
      assert.deepEqual((await get(app, '/act/read', cookie)).json(), {
        value: 'kept',
        items: null,
        user: null,
      })
    })

    it('sends a browser-session cookie with maxAge null, a persistent one otherwise', async () => {
      const persistent = (await get(app, '/act/set?value=p')).setCookies.find((c) => c.startsWith('session='))
      assert.match(persistent ?? '', /Max-Age=3600/)
      const browserCookie = (await get(browser, '/act/set?value=b')).setCookies.find((c) =>
        c.startsWith('session='),
      )
      assert.ok(browserCookie)
      assert.doesNotMatch(browserCookie, /Max-Age|Expires/i)
      const forgotten = (await get(app, '/act/forget?value=f')).setCookies.find((c) =>
        c.startsWith('session='),
      )
      assert.ok(forgotten)
      assert.doesNotMatch(forgotten, /Max-Age|Expires/i)
    })

    it('leaves the cookie as it was when the handler throws', async () => {
      const cookie = sessionCookie(await get(app, '/act/set?value=before'))
      const thrown = await get(app, '/act/throw', cookie)
      assert.equal(thrown.status, 500)
      hasNoSessionCookie(thrown)
      if (!app.runtimeAnswersErrors) {
        assert.ok(variesOnCookie(thrown), 'the answer depended on the session: it varies on the cookie')
      }
      assert.deepEqual((await get(app, '/act/read', cookie)).json(), {
        value: 'before',
        items: null,
        user: null,
      })
    })

    it('reports a change made after the headers were sent, and keeps serving', async () => {
      await app.clearErrors()
      const late = await get(app, '/late')
      assert.equal(late.status, 200)
      assert.equal(late.body, 'first;second')
      assert.ok(
        (await app.errors()).some((e) => e.includes('after its response headers were sent')),
        `expected a late-write error, got ${JSON.stringify(await app.errors())}`,
      )
      assert.equal((await get(app, '/act/untouched')).status, 200)
    })

    it('guards a route: 401 JSON without the key, the handler with it', async () => {
      const denied = await get(app, '/guarded')
      assert.equal(denied.status, 401)
      assert.match(String((denied.json() as { detail: string }).detail), /value/)
      const cookie = sessionCookie(await get(app, '/act/set?value=in'))
      const allowed = await get(app, '/guarded', cookie)
      assert.equal(allowed.status, 200)
      assert.deepEqual(allowed.json(), { value: 'in' })
    })

    it('logs in with a re-issued cookie and logs out by deleting it', async () => {
      const before = sessionCookie(await get(app, '/act/set?value=cart'))
      const loggedIn = sessionCookie(await get(app, '/act/login?user=ada', before))
      assert.deepEqual((await get(app, '/act/read', loggedIn)).json(), {
        value: 'cart',
        items: null,
        user: 'ada',
      })
      const out = await get(app, '/act/logout', loggedIn)
      assert.match(
        out.setCookies.find((c) => c.startsWith('session=')) ?? '',
        /Max-Age=0|expires=Thu, 01 Jan 1970/i,
      )
    })

    it('shows flash messages once, on the next request that reads them', async () => {
      let cookie = sessionCookie(await get(app, '/act/set?value=v'))
      cookie = heldCookie(await get(app, '/act/flash?message=saved', cookie), cookie)
      cookie = heldCookie(await get(app, '/act/flash?category=error&message=%C3%A9chec', cookie), cookie)
      // A request that does not read the flashes leaves them where they are.
      cookie = heldCookie(await get(app, '/act/read', cookie), cookie)
      const shown = await get(app, '/act/read-flash', cookie)
      assert.deepEqual(shown.json(), [
        ['message', 'saved'],
        ['error', 'échec'],
      ])
      cookie = heldCookie(shown, cookie)
      const again = await get(app, '/act/read-flash', cookie)
      assert.deepEqual(again.json(), [])
      hasNoSessionCookie(again)
      assert.deepEqual((await get(app, '/act/read', cookie)).json(), { value: 'v', items: null, user: null })
    })

    if (mode === 'store') {
      it('keeps the id when the session changes: no new cookie, the store has the change', async () => {
        const cookie = sessionCookie(await get(app, '/act/set?value=a'))
        const changed = await get(app, '/act/append?item=one', cookie)
        hasNoSessionCookie(changed)
        assert.deepEqual((await get(app, '/act/read', cookie)).json(), {
          value: 'a',
          items: ['one'],
          user: null,
        })
      })

      it('signs in with a new id: the one from before stops working', async () => {
        const before = sessionCookie(await get(app, '/act/set?value=cart'))
        const after = sessionCookie(await get(app, '/act/login?user=ada', before))
        assert.notEqual(after, before)
        assert.deepEqual((await get(app, '/act/read', before)).json(), {
          value: null,
          items: null,
          user: null,
        })
        await get(app, '/act/logout', after)
        assert.deepEqual((await get(app, '/act/read', after)).json(), {
          value: null,
          items: null,
          user: null,
        })
      })
    }
  })
}

/** The browser's `Cookie` header after `answer`, from the one it sent: set cookies added, deleted ones gone. */
function jarAfter(answer: Answer, sent: string): string {
  const jar = new Map(
    sent
      .split('; ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair]),
  )
  for (const header of answer.setCookies) {
    const pair = header.slice(0, header.indexOf(';'))
    const name = pair.slice(0, pair.indexOf('='))
    if (/Max-Age=0/i.test(header)) jar.delete(name)
    else jar.set(name, pair)
  }
  return [...jar.values()].join('; ')
}

function chunkedSuite(factory: AppFactory): void {
  describe('on the sealed format split over several cookies', () => {
    let app: RunningApp
    before(async () => {
      app = await factory({ mode: 'cookie', secretKey: [KEY], maxAge: MAX_AGE, format: 'sealed-chunks' })
      await app.setClock(START)
    })
    after(async () => app?.close())

    it('sends each chunk as its own Set-Cookie, reads them back, and deletes them all', async () => {
      const small = await get(app, '/act/set?value=s')
      assert.match(sessionCookie(small), /^session=t1\./)
      let jar = jarAfter(small, '')
      const big = await get(app, '/act/big', jar)
      assert.equal(big.status, 200)
      assert.deepEqual(
        big.setCookies.map((c) => c.slice(0, c.indexOf('='))),
        ['session.0', 'session.1', 'session'],
        'two chunks, and the plain cookie deleted',
      )
      jar = jarAfter(big, jar)
      assert.equal((await get(app, '/act/read-big', jar)).json(), 5000)
      const cleared = await get(app, '/act/clear', jar)
      assert.deepEqual(jarAfter(cleared, jar), '', JSON.stringify(cleared.setCookies))
    })
  })
}

function storeDownSuite(factory: AppFactory, where: Where): void {
  describe('with a store that is down', () => {
    let app: RunningApp
    before(async () => {
      app = await factory({ mode: 'unavailable', secretKey: [KEY], maxAge: MAX_AGE })
      await app.setClock(START)
    })
    after(async () => app?.close())

    it('answers 503 JSON with a clear message and no Set-Cookie', async () => {
      await app.clearErrors()
      const answer = await get(app, '/act/set?value=x')
      assert.equal(answer.status, 503)
      hasNoSessionCookie(answer)
      assert.match(String((answer.json() as { detail: string }).detail), /store is unavailable/)
      assert.ok((await app.errors()).some((e) => e.includes('is down')))
    })

    it('answers 503 JSON, not 500, when the store fails while the handler loads the session', async () => {
      // A validly signed id: the engine asks the store, which fails.
      const minted = await mint(app, 'unavailable', { value: 'stored' }, where)
      const answer = await get(app, '/act/read', minted)
      assert.equal(answer.status, 503)
      assert.match(answer.contentType, /^application\/json/)
      hasNoSessionCookie(answer)
      assert.match(String((answer.json() as { detail: string }).detail), /store is unavailable/)
    })

    it('still serves routes that do not use the session', async () => {
      assert.equal((await get(app, '/act/untouched')).status, 200)
    })
  })
}
