/**
 * tessera against values minted by the real itsdangerous 2.x (scripts/make-itsdangerous-vectors.py,
 * output checked in as test/fixtures/itsdangerous-vectors.json).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { decodeBase64Text } from '#base64'
import { BadSignature } from '../errors.ts'
import { parseSessionJson } from './json.ts'
import { type Algorithm, type KeyDerivation, Signer } from './signer.ts'
import { starlette } from './starlette.ts'
import { TimestampSigner } from './timestamp.ts'

interface Vectors {
  itsdangerous: string
  signer: { secret: string; salt: string; algorithm: Algorithm; value: string; signed: string }[]
  timestamp: { secret: string; value: string; timestamp: number; signed: string }[]
  starlette: { secret: string; timestamp: number; data: Record<string, unknown>; cookie: string }[]
  lenient: { secret: string; original: string; altered: string }[]
  rotation: { secrets_oldest_first: string[]; value: string; signed: string }[]
  derivation: {
    secret: string
    salt: string
    algorithm: Algorithm
    key_derivation: KeyDerivation
    value: string
    signed: string
  }[]
}

const vectors = JSON.parse(
  readFileSync(new URL('../../test/fixtures/itsdangerous-vectors.json', import.meta.url), 'utf8'),
) as Vectors

describe(`Signer matches itsdangerous ${vectors.itsdangerous}`, () => {
  it('signs every vector to the same bytes and verifies it', () => {
    assert.ok(vectors.signer.length >= 60)
    for (const v of vectors.signer) {
      const signer = new Signer({ secret: v.secret, salt: v.salt, algorithm: v.algorithm })
      assert.equal(signer.sign(v.value), v.signed, `${v.algorithm} ${v.salt} ${JSON.stringify(v.value)}`)
      assert.deepEqual(signer.unsign(v.signed), { value: v.value, keyIndex: 0 })
    }
  })

  it('rejects signatures that itsdangerous accepts only through its lenient base64', () => {
    assert.ok(vectors.lenient.length > 0, 'the generator found altered signatures itsdangerous accepts')
    for (const v of vectors.lenient) {
      const signer = new Signer({ secret: v.secret })
      assert.equal(signer.unsign(v.original).value, 'payload')
      assert.throws(() => signer.unsign(v.altered), BadSignature, v.altered)
    }
  })

  it('verifies a value itsdangerous signed with the newest of a key list', () => {
    for (const v of vectors.rotation) {
      const newestFirst = [...v.secrets_oldest_first].reverse()
      const signer = new Signer({ secret: newestFirst })
      assert.equal(signer.sign(v.value), v.signed)
      assert.deepEqual(new Signer({ secret: v.secrets_oldest_first }).unsign(v.signed), {
        value: v.value,
        keyIndex: 1,
      })
    }
  })
})

describe('Signer key derivations match itsdangerous', () => {
  it('signs and verifies with each of concat, django-concat, hmac and none', () => {
    assert.deepEqual(
      new Set(vectors.derivation.map((v) => v.key_derivation)),
      new Set(['concat', 'django-concat', 'hmac', 'none']),
    )
    for (const v of vectors.derivation) {
      const signer = new Signer({
        secret: v.secret,
        salt: v.salt,
        algorithm: v.algorithm,
        keyDerivation: v.key_derivation,
      })
      const label = `${v.key_derivation} ${v.algorithm} ${v.salt} ${JSON.stringify(v.value)}`
      assert.equal(signer.sign(v.value), v.signed, label)
      assert.deepEqual(signer.unsign(v.signed), { value: v.value, keyIndex: 0 }, label)
    }
  })
})

describe('TimestampSigner matches itsdangerous', () => {
  it('signs with the same timestamp bytes and reads the timestamp back', () => {
    for (const v of vectors.timestamp) {
      const signer = new TimestampSigner(new Signer({ secret: v.secret }))
      assert.equal(signer.sign(v.value, v.timestamp), v.signed, `${v.timestamp}`)
      const unsigned = signer.unsign(v.signed, { maxAge: null, now: v.timestamp, clockSkew: 0 })
      assert.deepEqual(unsigned, { value: v.value, issuedAt: v.timestamp, keyIndex: 0 })
    }
  })
})

describe('Starlette cookies minted by Python', () => {
  it('decode to the data Python stored, including nested and non-ASCII values', () => {
    for (const v of vectors.starlette) {
      const codec = starlette().create({ secrets: [v.secret], maxAge: 14 * 86400, clockSkew: 60 })
      if (Object.keys(v.data).length === 0) continue // Starlette never writes an empty session
      const decoded = codec.decode(v.cookie, v.timestamp + 10)
      assert.deepEqual(parseSessionJson(decoded.json), v.data)
      assert.equal(decoded.issuedAt, v.timestamp)
    }
  })

  it('are re-created byte for byte when tessera encodes the same JSON text', () => {
    for (const v of vectors.starlette) {
      const codec = starlette().create({ secrets: [v.secret], maxAge: null, clockSkew: 60 })
      const pythonJson = decodeBase64Text(v.cookie.split('.')[0] as string) as string
      assert.deepEqual(parseSessionJson(pythonJson), v.data)
      assert.equal(codec.encode(pythonJson, v.timestamp), v.cookie)
    }
  })
})
