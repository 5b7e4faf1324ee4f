import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cookieSize, utf8Length } from './limits.ts'
import { readCookieValues } from './parse.ts'
import { serializeClearingCookie, serializeCookie } from './serialize.ts'

const attributes = {
  path: '/',
  maxAge: 1209600,
  sameSite: 'lax',
  secure: false,
  domain: undefined,
  partitioned: false,
} as const

describe('readCookieValues', () => {
  it('finds every value of one name, in order, and no other', () => {
    assert.deepEqual(readCookieValues('a=1; session=x; sessionid=y; session=z', 'session'), ['x', 'z'])
    assert.deepEqual(readCookieValues('session=a=b==', 'session'), ['a=b=='])
    assert.deepEqual(readCookieValues(' session = v ;other', 'session'), ['v'])
  })

  it('unwraps double quotes and copes with junk', () => {
    assert.deepEqual(readCookieValues('session="abc"', 'session'), ['abc'])
    assert.deepEqual(readCookieValues('session="', 'session'), ['"'])
    for (const header of ['', ';;;', '=', 'session', '=session', undefined, null]) {
      assert.deepEqual(readCookieValues(header, 'session'), [], String(header))
    }
  })
})

describe('serializeCookie', () => {
  it('writes Starlette’s attribute order and spelling', () => {
    assert.equal(
      serializeCookie('session', 'v+/=', attributes),
      'session=v+/=; path=/; Max-Age=1209600; httponly; samesite=lax',
    )
    assert.equal(
      serializeCookie('s', 'v', {
        ...attributes,
        maxAge: null,
        secure: true,
        sameSite: 'none',
        domain: 'example.com',
        partitioned: true,
      }),
      's=v; path=/; httponly; samesite=none; secure; domain=example.com; partitioned',
    )
  })

  it('clears with an expiry in the past on the same path and domain', () => {
    assert.equal(
      serializeClearingCookie('session', { ...attributes, domain: 'example.com' }),
      'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; httponly; samesite=lax; domain=example.com',
    )
  })
})

describe('cookieSize', () => {
  it('counts UTF-8 bytes as Buffer.byteLength does, surrogates lone or paired', () => {
    const samples = [
      '',
      'session',
      'a=b',
      'é',
      '€',
      '🍪',
      'x🍪y',
      '\uD800',
      '\uDC00',
      '\uD800x',
      '\uDC00\uD800',
      'ü'.repeat(300),
    ]
    for (const text of samples) assert.equal(utf8Length(text), Buffer.byteLength(text), JSON.stringify(text))
    for (let code = 0; code < 0x10000; code += 7) {
      const text = `a${String.fromCharCode(code)}${String.fromCharCode(code ^ 0x400)}`
      assert.equal(utf8Length(text), Buffer.byteLength(text), code.toString(16))
    }
    assert.equal(cookieSize('session', 'é'), 9)
  })
})
