import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadPayload, BadSignature, ConfigError } from '../errors.ts'
import { Signer } from './signer.ts'
import { starlette } from './starlette.ts'
import { TimestampSigner } from './timestamp.ts'

const secrets = ['starlette-test-secret-0123456789abcdef']
const T = 1_800_000_000
const context = { secrets, maxAge: null, clockSkew: 60 }

describe('starlette()', () => {
  it('is named after its digest', () => {
    assert.equal(starlette().name, 'starlette')
    assert.equal(starlette({ algorithm: 'sha1' }).name, 'starlette')
    assert.equal(starlette({ algorithm: 'sha256' }).create(context).name, 'starlette-sha256')
    assert.equal(starlette({ algorithm: 'sha512' }).name, 'starlette-sha512')
  })

  it('refuses an unknown digest when it is created, naming it', () => {
    assert.throws(() => starlette({ algorithm: 'md5' as 'sha1' }), ConfigError)
    assert.throws(() => starlette({ algorithm: 'md5' as 'sha1' }), /"md5".*sha1, sha256, sha512/)
  })

  it('round-trips the JSON text as it was given, and keeps digests apart', () => {
    const sha1 = starlette().create(context)
    const sha256 = starlette({ algorithm: 'sha256' }).create(context)
    const json = '{"n":1.0,"big":12345678901234567890,"s":"é"}'
    assert.deepEqual(sha256.decode(sha256.encode(json, T), T), { json, issuedAt: T, keyIndex: 0 })
    assert.throws(() => sha1.decode(sha256.encode(json, T), T), BadSignature)
  })

  it('reports which secret verified', () => {
    const old = starlette().create(context)
    const rotated = starlette().create({
      ...context,
      secrets: ['new-secret-0123456789abcdefghijklmno', ...secrets],
    })
    assert.equal(rotated.decode(old.encode('{}', T), T).keyIndex, 1)
  })

  it('hands back the payload text without judging it; a signed payload that is not base64 is refused', () => {
    const codec = starlette().create(context)
    assert.equal(codec.decode(codec.encode('[1,2]', T), T).json, '[1,2]')
    const signer = new TimestampSigner(new Signer({ secret: secrets }))
    assert.throws(() => codec.decode(signer.sign('not base64!', T), T), BadPayload)
  })

  it('inspects a value without a secret, and says when a value is not of its shape', () => {
    const value = starlette().create(context).encode('{"a":1}', T)
    assert.deepEqual(starlette().inspect?.(value), { json: '{"a":1}', issuedAt: T })
    assert.equal(starlette().inspect?.('a.b'), undefined)
    assert.deepEqual(starlette().inspect?.('!!.!!.x'), { json: undefined, issuedAt: undefined })
  })
})
