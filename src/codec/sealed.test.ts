import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadData, BadSignature, ConfigError, SignatureExpired, SignatureFromFuture } from '../errors.ts'
import { cached } from './cached.ts'
import { looksSealed, sealed } from './sealed.ts'
import { starlette } from './starlette.ts'

const KEY = 'sealed-test-secret-0123456789abcdefghij'
const OLD = 'sealed-old-secret-0123456789abcdefghijkl'
const T = 1_800_000_000
const context = { secrets: [KEY], maxAge: 3600, clockSkew: 60 }
const JSON_TEXT = '{"user":"ada","n":1.0,"big":12345678901234567890,"s":"é✓🍪"}'

describe('sealed()', () => {
  it('round-trips the JSON text as given, with its issue time, on the t1 layout', () => {
    const codec = sealed().create(context)
    const value = codec.encode(JSON_TEXT, T)
    assert.match(value, /^t1\.[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    assert.ok(looksSealed(value))
    assert.equal(looksSealed(starlette().create(context).encode('{}', T)), false)
    assert.deepEqual(codec.decode(value, T + 10), { json: JSON_TEXT, issuedAt: T, keyIndex: 0 })
  })

  it('hides the data: nothing of the JSON is readable, and the same session seals differently each time', () => {
    const codec = sealed().create(context)
    const a = codec.encode('{"user":"ada"}', T)
    const b = codec.encode('{"user":"ada"}', T)
    assert.notEqual(a, b, 'a fresh IV per seal')
    assert.doesNotMatch(Buffer.from(a.split('.')[3] as string, 'base64url').toString('latin1'), /ada/)
    assert.equal(sealed().inspect, undefined, 'nothing can be read without the key')
  })

  it('seals with the first secret and opens with every listed one, telling which', () => {
    const old = sealed().create({ ...context, secrets: [OLD] })
    const rotated = sealed().create({ ...context, secrets: [KEY, OLD] })
    const opened = rotated.decode(old.encode('{"a":1}', T - 100), T)
    assert.deepEqual(opened, { json: '{"a":1}', issuedAt: T - 100, keyIndex: 1 })
    assert.equal(rotated.decode(rotated.encode('{}', T), T).keyIndex, 0)
    // The newest key's cookies do not open where only the old one is listed.
    assert.throws(() => old.decode(rotated.encode('{}', T), T), BadSignature)
  })

  it('enforces maxAge and clockSkew on the sealed issue time, as the Starlette codec does', () => {
    const codec = sealed().create(context)
    const value = codec.encode('{}', T)
    assert.equal(codec.decode(value, T + 3600).issuedAt, T)
    assert.throws(() => codec.decode(value, T + 3601), SignatureExpired)
    assert.equal(codec.decode(value, T - 60).issuedAt, T)
    assert.throws(() => codec.decode(value, T - 61), SignatureFromFuture)
    const forever = sealed().create({ ...context, maxAge: null })
    assert.equal(forever.decode(forever.encode('{}', T), T + 10 ** 8).issuedAt, T)
  })

  it('refuses every changed character, every truncation, and any other key, with BadData only', () => {
    const codec = sealed().create(context)
    const value = codec.encode('{"user":"ada","role":"admin"}', T)
    const alphabet = 'ABCabc019-_.'
    for (let i = 0; i < value.length; i++) {
      for (const c of alphabet) {
        if (c === value[i]) continue
        const changed = value.slice(0, i) + c + value.slice(i + 1)
        assert.throws(() => codec.decode(changed, T), BadData, `character ${i} -> ${c}`)
      }
      assert.throws(() => codec.decode(value.slice(0, i), T), BadData, `truncated to ${i}`)
    }
    assert.throws(() => codec.decode(`${value}A`, T), BadData)
    const other = sealed().create({ ...context, secrets: ['another-secret-0123456789abcdefghijklmn'] })
    assert.throws(() => other.decode(value, T), BadSignature)
  })

  it("refuses hostile and foreign values: another format's cookie, garbage, oversized", () => {
    const codec = sealed().create(context)
    const hostile = [
      '',
      't1',
      't1...',
      't1.AAAA.AAAAAAAAAAAAAAAA.',
      't1.AAAA.AAAAAAAAAAAAAAAA.AAAA',
      't2.AAAA.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `t1.AAAA.AAAAAAAAAAAAAAAA.${'A'.repeat(60)}`,
      `t1.AAAA.AAAAAAAAAAAAAAA=.${'A'.repeat(60)}`,
      `t1.AAAA.AAAAAAAAAAAAAAAA.${'%'.repeat(60)}`,
      starlette().create(context).encode('{"a":1}', T),
      'eyJhIjoxfQ==.ZVPxAA.y_0dTbV5TgudLmjyBEID-KtUCMo',
      'Fe26.2**abc*def*ghi*jkl*mno*pqr*stu',
      `t1.${'A'.repeat(20000)}`,
      `t1.AAAA.AAAAAAAAAAAAAAAA.${'A'.repeat(200_000)}`,
      '\u0000\uffff\ud800',
    ]
    for (const value of hostile) assert.throws(() => codec.decode(value, T), BadData, value.slice(0, 40))
    // And the Starlette format refuses a sealed value the same way.
    assert.throws(() => starlette().create(context).decode(codec.encode('{}', T), T), BadData)
  })

  it('works behind cached(), which keeps its chunk policy', () => {
    const format = cached(sealed({ chunks: { max: 3 } }))
    assert.deepEqual(format.chunks, { max: 3 })
    assert.equal(cached(sealed()).chunks, undefined)
    const codec = format.create(context)
    const value = codec.encode(JSON_TEXT, T)
    assert.equal(codec.decode(value, T).json, JSON_TEXT)
    assert.equal(codec.decode(value, T).json, JSON_TEXT, 'a cache hit')
    assert.throws(() => codec.decode(value, T + 3601), SignatureExpired)
  })

  it('refuses a chunk bound it cannot honour when it is created, naming it', () => {
    for (const max of [0, 1, 1.5, 11, Number.NaN]) {
      assert.throws(() => sealed({ chunks: { max } }), ConfigError)
    }
    assert.throws(() => sealed({ chunks: { max: 1 } }), /chunks\.max 1 must be a whole number from 2 to 10/)
  })
})
