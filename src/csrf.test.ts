import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CookieEngine } from './cookie-engine.ts'
import {
  type CsrfRequest,
  checkCsrf,
  csrfToken,
  isFormContentType,
  isSafeMethod,
  resolveCsrfOptions,
  verifyCsrfToken,
} from './csrf.ts'
import { ConfigError } from './errors.ts'
import { CSRF_KEY } from './session.ts'

const secretKey = 'csrf-unit-secret-0123456789-abcdefghijkl'
const options = resolveCsrfOptions()
const OWN = 'https://app.example'

function newSession() {
  return new CookieEngine({ secretKey }).open(undefined).session
}

function request(overrides: Partial<CsrfRequest>): CsrfRequest {
  return {
    method: 'POST',
    origin: OWN,
    secFetchSite: undefined,
    ownOrigin: OWN,
    token: undefined,
    ...overrides,
  }
}

describe('CSRF core', () => {
  it('lets safe methods through without looking at the session or headers', () => {
    for (const method of ['GET', 'head', 'OPTIONS', 'TRACE']) {
      assert.equal(isSafeMethod(method), true)
      assert.equal(
        checkCsrf(request({ method, origin: 'https://evil.example' }), newSession(), options),
        undefined,
      )
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'])
      assert.equal(isSafeMethod(method), false)
  })

  it('accepts a same-origin request with the session token, from Origin or from Sec-Fetch-Site', () => {
    const session = newSession()
    const token = csrfToken(session)
    assert.equal(checkCsrf(request({ token }), session, options), undefined)
    assert.equal(checkCsrf(request({ origin: 'HTTPS://APP.EXAMPLE', token }), session, options), undefined)
    for (const secFetchSite of ['same-origin', 'none']) {
      assert.equal(
        checkCsrf(request({ origin: undefined, secFetchSite, token }), session, options),
        undefined,
      )
    }
    // Chromium sends Origin: null for a same-origin form on a page with Referrer-Policy: no-referrer.
    assert.equal(
      checkCsrf(request({ origin: 'null', secFetchSite: 'same-origin', token }), session, options),
      undefined,
    )
  })

  it('refuses another origin, "null", a cross-site or same-site fetch, and no origin at all', () => {
    const session = newSession()
    const token = csrfToken(session)
    const refused = [
      request({ origin: 'https://evil.example', token }),
      request({ origin: 'http://app.example', token }), // the same host over plain HTTP
      request({ origin: 'null', token }),
      request({ origin: 'null', secFetchSite: 'cross-site', token }), // a sandboxed frame
      request({ origin: 'https://evil.example', secFetchSite: 'cross-site', token }),
      request({ origin: undefined, secFetchSite: 'cross-site', token }),
      request({ origin: undefined, secFetchSite: 'same-site', token }),
      request({ origin: undefined, token }),
      request({ origin: OWN, ownOrigin: undefined, token }),
    ]
    for (const r of refused) {
      const refusal = checkCsrf(r, session, options)
      assert.equal(refusal?.status, 403, JSON.stringify(r))
      assert.match(refusal.body.detail, /^CSRF check failed: /)
    }
  })

  it('refuses a missing, wrong, non-string or other session token', () => {
    const session = newSession()
    const token = csrfToken(session)
    for (const given of [undefined, '', `${token}x`, token.slice(1), ['a'], csrfToken(newSession())]) {
      assert.equal(checkCsrf(request({ token: given }), session, options)?.status, 403, String(given))
    }
    // A session without a token matches nothing, not even an empty string.
    assert.equal(verifyCsrfToken(newSession(), ''), false)
    assert.equal(verifyCsrfToken(newSession(), undefined), false)
  })

  it('keeps one token per session, 43 base64url characters, and drops it on regenerate()', () => {
    const session = newSession()
    const token = csrfToken(session)
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(csrfToken(session), token)
    assert.notEqual(csrfToken(newSession()), token)
    session.regenerate()
    assert.equal(session.get(CSRF_KEY as never), undefined)
    assert.equal(verifyCsrfToken(session, token), false)
    assert.notEqual(csrfToken(session), token)
  })

  it('allows the configured origins, and refuses bad ones at setup', () => {
    const session = newSession()
    const token = csrfToken(session)
    const allowing = resolveCsrfOptions({ allowedOrigins: ['https://Front.example:8443'] })
    assert.equal(
      checkCsrf(request({ origin: 'https://front.example:8443', token }), session, allowing),
      undefined,
    )
    for (const bad of ['front.example', 'https://front.example/', 'null', '*', 'https://a.example/path']) {
      assert.throws(() => resolveCsrfOptions({ allowedOrigins: [bad] }), ConfigError, bad)
    }
    assert.throws(() => resolveCsrfOptions({ allowedOrigin: [] } as never), /not a CSRF option/)
    assert.throws(() => resolveCsrfOptions({ trustProxy: -1 }), /trustProxy/)
  })

  it('reads the form field of url-encoded and multipart bodies only', () => {
    assert.equal(isFormContentType('application/x-www-form-urlencoded; charset=UTF-8'), true)
    assert.equal(isFormContentType('multipart/form-data; boundary=x'), true)
    assert.equal(isFormContentType('application/json'), false)
    assert.equal(isFormContentType(undefined), false)
  })
})
