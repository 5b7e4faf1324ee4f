/**
 * The codec's fast paths give exactly the answers of the plain definitions they replace: the
 * verified-signature cache, the regex-free base64 check and the allocation-free signature compare.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadPayload, BadSignature, SignatureExpired, SignatureFromFuture } from '../errors.ts'
import { decodeBase64, encodeBase64 } from './base64.ts'
import { sameSignature } from './signer.ts'
import { starletteFormat } from './starlette.ts'
import { VerifiedCache } from './verified-cache.ts'

const secret = 'fast-path-secret-0123456789abcdefghij'
const T = 1_800_000_000

/** The definition the fast check replaced: standard alphabet, length a multiple of 4, `=` only at the end. */
function decodeBase64ByRegex(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  return Buffer.from(text, 'base64')
}

/** A small deterministic generator, so a failure can be replayed. */
function* seededStrings(count: number): Generator<string> {
  let state = 42
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state
  }
  const alphabet = 'AZaz09+/=-_ \n.%\u00e9\u0000'
  for (let i = 0; i < count; i++) {
    const length = 4 * (1 + (next() % 4)) + (next() % 7 === 0 ? next() % 3 : 0)
    let text = ''
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length]
    // Half of them start as real base64, so that the tail decides.
    if (i % 2 === 0) text = encodeBase64(String(next())).slice(0, Math.max(0, length - 2)) + text.slice(-2)
    yield text
  }
}

describe('decodeBase64 without a regular expression', () => {
  it('agrees with the regex definition on hand-picked edge cases', () => {
    const cases = [
      '',
      'QQ==',
      'QUI=',
      'QUJD',
      'QQ=',
      'Q===',
      '====',
      'QQ==QQ==',
      'QU-D',
      'QU_D',
      'QU D',
      'Q\nJD',
    ]
    for (const text of [
      ...cases,
      'QUJD'.repeat(700),
      `${'QUJD'.repeat(700)}QQ==`,
      `${'QUJD'.repeat(700)}QQ=_`,
    ]) {
      assert.deepEqual(decodeBase64(text), decodeBase64ByRegex(text), JSON.stringify(text.slice(-12)))
    }
  })

  it('agrees with the regex definition on 20,000 generated strings', () => {
    for (const text of seededStrings(20_000)) {
      assert.deepEqual(decodeBase64(text), decodeBase64ByRegex(text), JSON.stringify(text))
    }
  })
})

describe('sameSignature', () => {
  it('is true only for the same text', () => {
    assert.equal(sameSignature('abc', 'abc'), true)
    assert.equal(sameSignature('abd', 'abc'), false)
    assert.equal(sameSignature('ab', 'abc'), false)
    assert.equal(sameSignature('', ''), true)
  })

  it('never matches a character that only agrees in its low byte', () => {
    // A latin1 Buffer would have turned U+0141 into 0x41 ("A").
    assert.equal(sameSignature('\u0141bc', 'Abc'), false)
  })
})

describe('the verified-signature cache of the Starlette format', () => {
  const format = () => starletteFormat({ secret, maxAge: 100, clockSkew: 10 })

  it('gives each decode its own data object', () => {
    const f = format()
    const cookie = f.encode('{"cart":["apple"]}', T)
    const first = f.decode(cookie, T)
    ;(first.data.cart as string[]).push('pear')
    const second = f.decode(cookie, T)
    assert.deepEqual(second.data, { cart: ['apple'] })
    assert.equal(second.json, '{"cart":["apple"]}')
    assert.equal(second.issuedAt, T)
  })

  it('checks the age again on every hit', () => {
    const f = format()
    const cookie = f.encode('{"a":1}', T)
    assert.deepEqual(f.decode(cookie, T + 100).data, { a: 1 })
    assert.throws(() => f.decode(cookie, T + 101), SignatureExpired)
    assert.throws(() => f.decode(cookie, T - 11), SignatureFromFuture)
  })

  it('does not let a value that differs from a verified one through', () => {
    const f = format()
    const cookie = f.encode('{"a":1}', T)
    f.decode(cookie, T)
    const last = cookie.at(-1) === 'A' ? 'B' : 'A'
    assert.throws(() => f.decode(cookie.slice(0, -1) + last, T), BadSignature)
    assert.throws(() => f.decode(`${cookie}x`, T), BadSignature)
  })

  it('never keeps a value that failed after its signature (bad payload)', () => {
    const f = format()
    const notAnObject = f.encode('[1,2]', T)
    assert.throws(() => f.decode(notAnObject, T), BadPayload)
    assert.throws(() => f.decode(notAnObject, T), BadPayload)
  })

  it('keys on the secret too: a format with another secret does not share it', () => {
    const cookie = format().encode('{"a":1}', T)
    const other = starletteFormat({ secret: `${secret}-other`, maxAge: 100, clockSkew: 10 })
    assert.throws(() => other.decode(cookie, T), BadSignature)
  })

  it('works the same with the cache turned off', () => {
    const f = starletteFormat({ secret, maxAge: 100, clockSkew: 10, verifiedCacheSize: 0 })
    const cookie = f.encode('{"a":1}', T)
    assert.deepEqual(f.decode(cookie, T).data, { a: 1 })
    assert.deepEqual(f.decode(cookie, T).data, { a: 1 })
    assert.throws(() => f.decode(cookie, T + 101), SignatureExpired)
  })
})

describe('VerifiedCache', () => {
  it('holds at most its capacity, dropping the oldest', () => {
    const cache = new VerifiedCache(2)
    const value = { json: '{}', issuedAt: T, keyIndex: 0 }
    cache.remember('a', value)
    cache.remember('b', value)
    cache.remember('c', value)
    assert.equal(cache.size, 2)
    assert.equal(cache.get('a'), undefined)
    assert.equal(cache.get('c'), value)
  })

  it('keeps nothing with a capacity of 0', () => {
    const cache = new VerifiedCache(0)
    cache.remember('a', { json: '{}', issuedAt: T, keyIndex: 0 })
    assert.equal(cache.size, 0)
  })
})
