import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NextRequest } from 'next/server.js'
import { captureConsoleErrors } from '../../test/support/console.ts'
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
