import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashSessionId, newSessionId, SessionIdSigner } from './id.ts'
import { VerifiedIds } from './verified-ids.ts'

const SECRET = 'verified-ids-secret-0123456789abcdef012345'
const OLD = 'verified-ids-old-secret-0123456789abcdef01'

describe('remembered verified session ids', () => {
  it('give the same id, key index and store key as verifying afresh, on a miss and on a hit', () => {
    const signer = new SessionIdSigner([SECRET, OLD], 'sha1')
    const ids = new VerifiedIds(signer)
    const id = newSessionId()
    const current = signer.sign(id)
    const old = new SessionIdSigner([OLD], 'sha1').sign(id)
    for (const [value, keyIndex] of [
      [current, 0],
      [old, 1],
    ] as const) {
      const expected = { id, keyIndex, key: hashSessionId(id) }
      assert.deepEqual({ ...ids.verify(value) }, expected)
      assert.deepEqual({ ...ids.verify(value) }, expected, 'a remembered value answers the same')
    }
    assert.equal(ids.size, 2)
  })

  it('never remember a value that failed verification', () => {
    const signer = new SessionIdSigner([SECRET], 'sha1')
    const ids = new VerifiedIds(signer)
    const signed = signer.sign(newSessionId())
    const tampered = `${signed.slice(0, -1)}${signed.endsWith('A') ? 'B' : 'A'}`
    const foreign = new SessionIdSigner([OLD], 'sha1').sign(newSessionId())
    for (const bad of [tampered, foreign, '', 'x.y']) {
      assert.equal(ids.verify(bad), undefined)
      assert.equal(ids.verify(bad), undefined)
    }
    assert.equal(ids.size, 0)
  })

  it('keep at most `capacity` values, dropping the oldest, and none with capacity 0', () => {
    const signer = new SessionIdSigner([SECRET], 'sha1')
    const ids = new VerifiedIds(signer, 3)
    const values = Array.from({ length: 5 }, () => signer.sign(newSessionId()))
    for (const value of values) assert.ok(ids.verify(value))
    assert.equal(ids.size, 3)
    for (const value of values) assert.ok(ids.verify(value), 'dropped values still verify')
    const off = new VerifiedIds(signer, 0)
    assert.ok(off.verify(values[0] as string))
    assert.equal(off.size, 0)
  })
})
