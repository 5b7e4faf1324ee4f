import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Signer } from '../codec/signer.ts'
import { hashSessionId, newSessionId, SESSION_ID_SALT, SessionIdSigner } from './id.ts'

const SECRET = 'id-test-secret-0123456789abcdef0123456789'

describe('session ids', () => {
  it('are 256 random bits in URL-safe base64, never repeated', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId))
    assert.equal(ids.size, 1000)
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{43}$/)
  })

  it('sign and verify, with key rotation', () => {
    const id = newSessionId()
    const old = new SessionIdSigner(['old-secret-0123456789abcdef0123456789ab'], 'sha1')
    const rotated = new SessionIdSigner([SECRET, 'old-secret-0123456789abcdef0123456789ab'], 'sha1')
    assert.deepEqual(rotated.unsign(rotated.sign(id)), { id, keyIndex: 0 })
    assert.deepEqual(rotated.unsign(old.sign(id)), { id, keyIndex: 1 })
  })

  it('refuse values of the wrong shape, a wrong signature, or a signature under another salt', () => {
    const signer = new SessionIdSigner([SECRET], 'sha256')
    const id = newSessionId()
    const signed = signer.sign(id)
    for (const bad of [
      '',
      id,
      `${id}.`,
      `${signed}x`,
      `x${signed}`,
      signed.replace(/.$/, '_'),
      `${'!'.repeat(43)}.sig`,
    ]) {
      assert.equal(signer.unsign(bad), undefined, bad)
    }
    const otherSalt = new Signer({ secret: SECRET, algorithm: 'sha256' }).sign(id)
    assert.equal(signer.unsign(otherSalt), undefined)
    assert.notEqual(SESSION_ID_SALT, 'itsdangerous.Signer')
    const ok = new Signer({ secret: SECRET, algorithm: 'sha256', salt: SESSION_ID_SALT }).sign(id)
    assert.deepEqual(signer.unsign(ok), { id, keyIndex: 0 })
  })

  it('are stored as their SHA-256, which does not reveal them', () => {
    const id = newSessionId()
    const key = hashSessionId(id)
    assert.match(key, /^[A-Za-z0-9_-]{43}$/)
    assert.notEqual(key, id)
    assert.equal(hashSessionId(id), key)
  })
})
