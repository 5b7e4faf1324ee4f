import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NextRequest } from 'next/server.js'
import { captureConsoleErrors } from '../../test/support/console.ts'
import { sealed } from '../codec/sealed.ts'
import { CookieEngine } from '../cookie-engine.ts'
import { nextSessions, toResponseCookie } from './next.ts'

const secretKey = 'next-adapter-secret-next-adapter-secret'
const engine = new CookieEngine<{ user?: string; big?: string }>({ secretKey })
const session = nextSessions(engine)

function mint(user: string): string {
  const opened = engine.open(undefined)
  opened.session.set('user', user)
  const setCookie = opened.commit().setCookie as string
  return setCookie.slice('session='.length, setCookie.indexOf(';'))
}

describe('toResponseCookie', () => {
  it("turns tessera's Set-Cookie into the object cookies().set takes, every attribute kept", () => {
    const secure = new CookieEngine({ secretKey, httpsOnly: true, domain: 'example.com', partitioned: true })
    const opened = secure.open(undefined)
    opened.session.set('user', 'ada')
    const setCookie = opened.commit().setCookie as string
    const cookie = toResponseCookie(setCookie)
    assert.equal(`session=${cookie.value}`, setCookie.slice(0, setCookie.indexOf(';')))
    assert.deepEqual(
      { ...cookie, value: undefined },
      {
        name: 'session',
        value: undefined,
        path: '/',
        maxAge: 1209600,
        httpOnly: true,
        sameSite: 'lax',
        secure: true,
        domain: 'example.com',
        partitioned: true,
      },
    )
  })

  it('keeps a clearing cookie expired', () => {
    const cookie = toResponseCookie(
      'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; httponly; samesite=lax',
    )
    assert.equal(cookie.maxAge, 0)
    assert.equal((cookie.expires as Date).getTime(), 0)
  })
})

describe('nextSessions().route', () => {
  it('reads a percent-encoded cookie (as a Server Action wrote it) and writes the raw value', async () => {
    const value = mint('ada?>>>')
    assert.match(value, /[+/=]/, `this value has a character Next.js encodes: ${value}`)
    const handler = session.route((_request, s) => {
      s.set('user', `${s.get('user')}!`)
      return Response.json(s.get('user'))
    })
    const request = new NextRequest('http://localhost/', {
      headers: { cookie: `session=${encodeURIComponent(value)}` },
    })
    const response = await handler(request)
    assert.equal(await response.json(), 'ada?>>>!')
    const [setCookie] = response.headers.getSetCookie()
    assert.doesNotMatch(setCookie ?? '', /%/)
  })

  it('answers 500 JSON without Set-Cookie for a session too large for a cookie', async (t) => {
    const errors = captureConsoleErrors(t)
    const handler = session.route((_request, s) => {
      s.set('big', 'x'.repeat(5000))
      return Response.json('ok')
    })
    const response = await handler(new NextRequest('http://localhost/'))
    assert.equal(response.status, 500)
    assert.deepEqual(response.headers.getSetCookie(), [])
    assert.ok(
      errors().some((e) => e.includes('over the browser limit') || e.includes('too large')),
      errors().join(),
    )
  })
})

describe('nextSessions and the request scheme (httpsOnly: auto)', () => {
  it("refuses httpsOnly: 'auto' without trustProxy at setup, naming the fix", () => {
    assert.throws(
      () => nextSessions({ secretKey, httpsOnly: 'auto' }),
      (error: Error) => error.name === 'ConfigError' && /trustProxy: 1/.test(error.message),
    )
  })

  it('marks the cookie Secure from the X-Forwarded-Proto Next.js passes on, as far as trustProxy says', async () => {
    const auto = nextSessions<{ user?: string }>({ secretKey, httpsOnly: 'auto', trustProxy: 1 })
    const handler = auto.route((_request, s) => {
      s.set('user', 'ada')
      return Response.json('ok')
    })
    const setCookie = async (forwarded: string) =>
      (
        await handler(new NextRequest('http://localhost/', { headers: { 'x-forwarded-proto': forwarded } }))
      ).headers.getSetCookie()[0] ?? ''
    assert.match(await setCookie('https'), /; secure/i)
    assert.doesNotMatch(await setCookie('http'), /; secure/i)
    // One proxy: what a client put before the proxy's own value does not count.
    assert.doesNotMatch(await setCookie('https, http'), /; secure/i)
  })
})

describe('nextSessions().route with a session split over several cookies', () => {
  it('reads the chunks, and only the session cookies reach the engine', async () => {
    const split = nextSessions<{ big?: string }>({ secretKey, format: sealed({ chunks: { max: 3 } }) })
    const write = await split.route((_request, s) => {
      s.set('big', 'y'.repeat(5000))
      return Response.json('ok')
    })(new NextRequest('http://localhost/'))
    const pairs = write.headers.getSetCookie().map((c) => c.slice(0, c.indexOf(';')))
    assert.deepEqual(
      pairs.map((p) => p.slice(0, p.indexOf('='))),
      ['session.0', 'session.1'],
    )
    const read = await split.route((_request, s) => Response.json(s.get('big')?.length ?? null))(
      new NextRequest('http://localhost/', { headers: { cookie: `other=1; ${pairs.join('; ')}` } }),
    )
    assert.equal(await read.json(), 5000)
  })
})
