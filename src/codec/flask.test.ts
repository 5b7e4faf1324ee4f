/**
 * The Flask format against cookies minted by real Flask (test/fixtures/itsdangerous-vectors.json,
 * `flask`), its tagged values, and its bounded inflate. Also run on the portable build
 * (test/runtimes/portable-node.test.ts), which has no zlib: there compressed cookies are refused.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { available as zlibAvailable } from '#zlib'
import { BadPayload, ConfigError } from '../errors.ts'
import { flask } from './flask.ts'
import { FLASK_TAGS, flaskTag, untagFlask } from './flask-tags.ts'
import { Signer } from './signer.ts'
import { TimestampSigner } from './timestamp.ts'
import * as portableZlib from './zlib/portable.ts'

const { flask: vectors } = JSON.parse(
  readFileSync(new URL('../../test/fixtures/itsdangerous-vectors.json', import.meta.url), 'utf8'),
) as { flask: { secret: string; timestamp: number; cookie: string }[] }

const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
const codecFor = (secret: string, options = {}) =>
  flask(options).create({ secrets: [secret], maxAge: null, clockSkew: 60 })
const sign = (payload: string, at: number) =>
  new TimestampSigner(new Signer({ secret: SECRET, salt: 'cookie-session', keyDerivation: 'hmac' })).sign(
    payload,
    at,
  )

describe('flask()', () => {
  it('reads every cookie Flask minted, and writes the same bytes from the same JSON when uncompressed', () => {
    assert.ok(vectors.length >= 20)
    assert.ok(
      vectors.some((v) => v.cookie.startsWith('.')),
      'compressed vectors are among them',
    )
    for (const v of vectors) {
      const codec = codecFor(v.secret)
      if (!zlibAvailable && v.cookie.startsWith('.')) {
        assert.throws(() => codec.decode(v.cookie, v.timestamp), /node:zlib/)
        continue
      }
      const decoded = codec.decode(v.cookie, v.timestamp)
      assert.equal(decoded.issuedAt, v.timestamp)
      const encoded = codec.encode(decoded.json, v.timestamp)
      // Node's zlib (Chromium's fork) deflates to other bytes than Python's zlib, both valid
      // (real Flask reads tessera's: test/interop/flask.test.ts); uncompressed cookies are exact.
      if (v.cookie.startsWith('.')) assert.equal(codec.decode(encoded, v.timestamp).json, decoded.json)
      else assert.equal(encoded, v.cookie)
    }
  })

  it('shows Flask’s tagged values as Flask wrote them, and untagFlask turns them into JavaScript', {
    skip: zlibAvailable ? false : 'the tagged vector is compressed: needs node:zlib',
  }, () => {
    const tagged = vectors.find(
      (v) => v.cookie.length > 0 && codecFor(v.secret).decode(v.cookie, v.timestamp).json.includes('" t"'),
    )
    assert.ok(tagged)
    const data = JSON.parse(codecFor(tagged.secret).decode(tagged.cookie, tagged.timestamp).json)
    assert.deepEqual(data.t, { ' t': [1, 'two', { ' t': [3] }] })
    assert.deepEqual(data.di, { ' di': { ' t__': 1 } })
    assert.deepEqual(untagFlask(data), {
      t: [1, 'two', [3]],
      b: Uint8Array.from([0, 255]),
      m: '<b>x</b>',
      u: '12345678-1234-5678-1234-567812345678',
      d: new Date(Date.UTC(2023, 10, 14, 22, 13, 20)),
      di: { ' t': 1 },
    })
  })

  it('flaskTag writes the forms Flask reads (checked against real Flask in test/interop/flask.test.ts)', () => {
    assert.deepEqual(flaskTag.tuple([1]), { ' t': [1] })
    assert.deepEqual(flaskTag.bytes(Uint8Array.from([0, 255])), { ' b': 'AP8=' })
    assert.deepEqual(flaskTag.uuid('12345678-1234-5678-1234-56781234567A'), {
      ' u': '1234567812345678123456781234567a',
    })
    assert.deepEqual(flaskTag.datetime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), {
      ' d': 'Tue, 02 Jan 2024 03:04:05 GMT',
    })
    assert.deepEqual(flaskTag.dict(' t', 1), { ' di': { ' t__': 1 } })
    assert.deepEqual(flaskTag.dict('a', 1), { a: 1 })
    assert.equal(FLASK_TAGS.size, 6)
  })

  it('compresses only when it saves more than a byte, as itsdangerous does', () => {
    const codec = codecFor(SECRET)
    assert.ok(!codec.encode('{"a":1}', 1_700_000_000).startsWith('.'))
    const long = codec.encode(JSON.stringify({ a: 'x'.repeat(500) }), 1_700_000_000)
    assert.equal(long.startsWith('.'), zlibAvailable, 'the portable build never compresses')
  })

  it('stops inflating at maxInflatedBytes: a 2 KB zlib bomb is refused, not inflated to 2 MB', () => {
    const bomb = deflateSync(Buffer.from(`{"a":1${' '.repeat(2_000_000)}}`))
    assert.ok(bomb.length < 3000)
    const cookie = sign(`.${bomb.toString('base64url')}`, 1_700_000_000)
    if (!zlibAvailable)
      return assert.throws(() => codecFor(SECRET).decode(cookie, 1_700_000_000), /node:zlib/)
    assert.throws(() => codecFor(SECRET).decode(cookie, 1_700_000_000), BadPayload)
    assert.throws(() => codecFor(SECRET).decode(cookie, 1_700_000_000), /inflates past the 65536-byte limit/)
    assert.equal(
      codecFor(SECRET, { maxInflatedBytes: 3_000_000 }).decode(cookie, 1_700_000_000).json.length,
      2_000_007,
    )
    assert.equal(flask().inspect?.(cookie)?.json, undefined, 'inspect is bounded too')
  })

  it('refuses well-signed payloads that are not zlib, not base64url or not UTF-8', () => {
    const codec = codecFor(SECRET)
    for (const payload of ['.bm90IHpsaWI', 'not+base64', Buffer.from([0xff, 0xfe]).toString('base64url')]) {
      assert.throws(() => codec.decode(sign(payload, 1_700_000_000), 1_700_000_000), BadPayload, payload)
    }
  })

  it('on a build without node:zlib: writes uncompressed, refuses compressed (portable #zlib)', () => {
    assert.equal(portableZlib.available, false)
    assert.equal(portableZlib.deflate(new Uint8Array(10)), undefined)
    assert.throws(() => portableZlib.inflate(new Uint8Array(10), 10), /node:zlib/)
  })

  it('inspect reads plain and compressed cookies without the secret', () => {
    for (const v of vectors.slice(0, 5).filter((x) => zlibAvailable || !x.cookie.startsWith('.'))) {
      const inspected = flask().inspect?.(v.cookie)
      assert.equal(inspected?.issuedAt, v.timestamp)
      assert.equal(inspected?.json, codecFor(v.secret).decode(v.cookie, v.timestamp).json)
    }
    assert.equal(flask().inspect?.('a.b'), undefined)
  })

  it('refuses a bad maxInflatedBytes at setup', () => {
    assert.throws(() => flask({ maxInflatedBytes: 0 }), ConfigError)
  })
})
