/**
 * The two `#crypto` implementations give the same bytes: OpenSSL through node:crypto, and
 * @noble/hashes for runtimes without it. (The signer's itsdangerous vectors then pin both to Python.)
 */
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { ALGORITHMS, type Hashing, type Sealing } from './contract.ts'
import * as node from './node.ts'
import * as portable from './portable.ts'

// Both modules satisfy the contract (checked by the type checker).
const implementations: [string, Hashing & Sealing][] = [
  ['node', node],
  ['portable', portable],
]

const MESSAGES = [
  '',
  'a',
  'payload.ZVPxAA',
  'é✓🍪',
  'x'.repeat(63),
  'x'.repeat(64),
  'x'.repeat(200),
  'y'.repeat(3000),
]
const KEYS = [
  new Uint8Array(0),
  Uint8Array.from([1, 2, 3]),
  new Uint8Array(64).fill(7),
  new Uint8Array(200).fill(9),
]

for (const [name, hashing] of implementations) {
  describe(`#crypto (${name})`, () => {
    it('digests as OpenSSL does, text as UTF-8', () => {
      for (const algorithm of ALGORITHMS) {
        for (const message of MESSAGES) {
          const expected = createHash(algorithm).update(message, 'utf8').digest()
          assert.deepEqual(
            [...hashing.digest(algorithm, message)],
            [...expected],
            `${algorithm} ${message.length}`,
          )
          const bytes = new TextEncoder().encode(message)
          assert.deepEqual([...hashing.digest(algorithm, bytes)], [...expected])
        }
      }
    })

    it('computes the HMAC as OpenSSL does, with short, block-sized and long keys', () => {
      for (const algorithm of ALGORITHMS) {
        for (const key of KEYS) {
          const mac = hashing.keyedMac(algorithm, key)
          for (const message of MESSAGES) {
            const expected = createHmac(algorithm, key).update(message, 'utf8').digest()
            const label = `${algorithm} key ${key.length} message ${message.length}`
            assert.deepEqual([...hashing.hmac(algorithm, key, message)], [...expected], label)
            assert.equal(mac(message), expected.toString('base64url'), label)
          }
          // A keyed MAC is reusable: the same message twice gives the same signature.
          assert.equal(mac('again'), mac('again'))
        }
      }
    })
  })
}

describe('#crypto sealing (node and portable agree)', () => {
  const secret = new TextEncoder().encode('sealing-secret-0123456789abcdefghij')
  const salt = new TextEncoder().encode('salt')
  const key = node.hkdfSha256(secret, salt, 'info', 32)
  const iv = Uint8Array.from({ length: 12 }, (_, i) => i)
  const aad = new TextEncoder().encode('t1.abcd')

  it('derives the same HKDF-SHA256 keys, distinct per info string', () => {
    assert.deepEqual([...portable.hkdfSha256(secret, salt, 'info', 32)], [...key])
    assert.notDeepEqual([...node.hkdfSha256(secret, salt, 'other', 32)], [...key])
  })

  it('seals with one and opens with the other, for every length around a block', () => {
    for (const length of [0, 1, 15, 16, 17, 100, 3000]) {
      const plaintext = Uint8Array.from({ length }, (_, i) => i % 251)
      const sealed = node.sealAesGcm(key, iv, plaintext, aad)
      assert.deepEqual([...portable.sealAesGcm(key, iv, plaintext, aad)], [...sealed], `length ${length}`)
      assert.deepEqual([...(portable.openAesGcm(key, iv, sealed, aad) ?? [])], [...plaintext])
      assert.deepEqual([...(node.openAesGcm(key, iv, sealed, aad) ?? [])], [...plaintext])
    }
  })

  it('refuses a changed byte, a truncated tag, another IV or other associated data', () => {
    const sealed = node.sealAesGcm(key, iv, new TextEncoder().encode('{"a":1}'), aad)
    for (const open of [node.openAesGcm, portable.openAesGcm]) {
      for (let i = 0; i < sealed.length; i++) {
        const changed = Uint8Array.from(sealed)
        changed[i] = (changed[i] as number) ^ 1
        assert.equal(open(key, iv, changed, aad), undefined, `byte ${i}`)
      }
      assert.equal(open(key, iv, sealed.subarray(0, sealed.length - 1), aad), undefined)
      assert.equal(open(key, iv, sealed.subarray(0, 4), aad), undefined)
      assert.equal(open(key, new Uint8Array(12), sealed, aad), undefined)
      assert.equal(open(key, iv, sealed, new TextEncoder().encode('t1.abce')), undefined)
    }
  })

  it('draws random bytes, never the same twice, across refills of the Node pool and past its size', () => {
    for (const { randomBytes } of [node, portable]) {
      assert.equal(randomBytes(12).length, 12)
      assert.notDeepEqual([...randomBytes(16)], [...randomBytes(16)])
      const seen = new Set<string>()
      for (let i = 0; i < 1000; i++) seen.add(Buffer.from(randomBytes(12)).toString('hex'))
      assert.equal(seen.size, 1000)
      const kept = randomBytes(12)
      const copy = [...kept]
      for (let i = 0; i < 600; i++) randomBytes(12)
      assert.deepEqual([...kept], copy, 'a refill of the pool does not change bytes handed out')
      assert.equal(randomBytes(5000).length, 5000)
    }
  })
})
