/**
 * The two `#crypto` implementations give the same bytes: OpenSSL through node:crypto, and
 * @noble/hashes for runtimes without it. (The signer's itsdangerous vectors then pin both to Python.)
 */
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { ALGORITHMS, type Hashing } from './contract.ts'
import * as node from './node.ts'
import * as portable from './portable.ts'

// Both modules satisfy the contract (checked by the type checker).
const implementations: [string, Hashing][] = [
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
