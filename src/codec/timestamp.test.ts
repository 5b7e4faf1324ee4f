import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadSignature, BadTimeSignature, SignatureExpired, SignatureFromFuture } from '../errors.ts'
import { Signer } from './signer.ts'
import { decodeTimestamp, encodeTimestamp, TimestampSigner } from './timestamp.ts'

const signer = new TimestampSigner(new Signer({ secret: 'k'.repeat(32) }))
const T = 1_800_000_000

describe('TimestampSigner', () => {
  it('accepts a value until maxAge has passed, inclusive', () => {
    const signed = signer.sign('v', T)
    assert.equal(signer.unsign(signed, { maxAge: 100, now: T + 100, clockSkew: 0 }).value, 'v')
    assert.throws(() => signer.unsign(signed, { maxAge: 100, now: T + 101, clockSkew: 0 }), SignatureExpired)
    assert.equal(signer.unsign(signed, { maxAge: null, now: T + 10 ** 8, clockSkew: 0 }).issuedAt, T)
  })

  it('tolerates a small clock skew but not a future date beyond it', () => {
    const signed = signer.sign('v', T + 30)
    assert.equal(signer.unsign(signed, { maxAge: 100, now: T, clockSkew: 60 }).value, 'v')
    assert.throws(() => signer.unsign(signed, { maxAge: 100, now: T, clockSkew: 10 }), SignatureFromFuture)
  })

  it('checks the signature before the timestamp', () => {
    const signed = signer.sign('v', T)
    const tampered = signed.replace('v.', 'w.')
    assert.throws(() => signer.unsign(tampered, { maxAge: 100, now: T, clockSkew: 0 }), BadSignature)
  })

  it('rejects a validly signed value without a readable timestamp', () => {
    const plain = signer.signer
    assert.throws(
      () => signer.unsign(plain.sign('no-timestamp'), { maxAge: null, now: T, clockSkew: 0 }),
      BadTimeSignature,
    )
    assert.throws(
      () => signer.unsign(plain.sign('v.!!'), { maxAge: null, now: T, clockSkew: 0 }),
      BadTimeSignature,
    )
    assert.throws(
      () => signer.unsign(plain.sign('v.AAAAAAAAAAA'), { maxAge: null, now: T, clockSkew: 0 }),
      BadTimeSignature,
    )
  })

  it('encodes timestamps as minimal big-endian bytes', () => {
    assert.equal(encodeTimestamp(0), '')
    assert.equal(encodeTimestamp(255), '_w')
    assert.equal(encodeTimestamp(256), 'AQA')
    for (const t of [1, 255, 256, 65535, T, 2 ** 32 - 1, 2 ** 40])
      assert.equal(decodeTimestamp(encodeTimestamp(t)), t)
    assert.equal(decodeTimestamp(''), undefined)
    assert.equal(decodeTimestamp('a+b'), undefined)
  })
})
