import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadSignature, ConfigError } from '../errors.ts'
import { Signer } from './signer.ts'

const SECRET = 'x'.repeat(32)

describe('Signer', () => {
  it('round-trips and reports which key verified', () => {
    const old = new Signer({ secret: 'old-secret' })
    const rotated = new Signer({ secret: [SECRET, 'old-secret'] })
    assert.deepEqual(rotated.unsign(rotated.sign('v')), { value: 'v', keyIndex: 0 })
    assert.deepEqual(rotated.unsign(old.sign('v')), { value: 'v', keyIndex: 1 })
    assert.equal(rotated.keyCount, 2)
  })

  it('rejects unsigned, tampered, truncated and foreign values', () => {
    const signer = new Signer({ secret: SECRET })
    const signed = signer.sign('value')
    for (const bad of [
      'value',
      '',
      '.',
      signed.slice(0, -1),
      `${signed}x`,
      `x${signed}`,
      new Signer({ secret: 'y'.repeat(32) }).sign('value'),
    ]) {
      assert.throws(() => signer.unsign(bad), BadSignature, JSON.stringify(bad))
    }
  })

  it('keeps salts and algorithms apart', () => {
    const a = new Signer({ secret: SECRET })
    assert.throws(() => new Signer({ secret: SECRET, salt: 'other' }).unsign(a.sign('v')), BadSignature)
    assert.throws(() => new Signer({ secret: SECRET, algorithm: 'sha256' }).unsign(a.sign('v')), BadSignature)
  })

  it('refuses an empty key list and unknown algorithms', () => {
    assert.throws(() => new Signer({ secret: [] }), ConfigError)
    assert.throws(() => new Signer({ secret: SECRET, algorithm: 'md5' as 'sha1' }), ConfigError)
    assert.throws(() => new Signer({ secret: SECRET, algorithm: 'md5' as 'sha1' }), /md5/)
  })
})

describe('Signer key derivation', () => {
  it('keeps derivations apart: a value signed under one does not verify under another', () => {
    const derivations = ['django-concat', 'concat', 'hmac', 'none'] as const
    for (const a of derivations) {
      const signed = new Signer({ secret: SECRET, keyDerivation: a }).sign('v')
      for (const b of derivations) {
        const signer = new Signer({ secret: SECRET, keyDerivation: b })
        if (a === b) assert.equal(signer.unsign(signed).value, 'v')
        else assert.throws(() => signer.unsign(signed), BadSignature, `${a} vs ${b}`)
      }
    }
  })

  it('defaults to itsdangerous’ django-concat and refuses an unknown derivation', () => {
    const signed = new Signer({ secret: SECRET }).sign('v')
    assert.equal(new Signer({ secret: SECRET, keyDerivation: 'django-concat' }).sign('v'), signed)
    assert.throws(() => new Signer({ secret: SECRET, keyDerivation: 'pbkdf2' as 'none' }), /pbkdf2/)
  })
})
