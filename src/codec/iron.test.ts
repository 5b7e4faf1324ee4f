/** The iron-session format's own checks (interop with the real iron-session: test/interop/iron.test.ts). */
import assert from 'node:assert/strict'
import { createHmac, pbkdf2Sync } from 'node:crypto'
import { describe, it } from 'node:test'
import { available as cipherAvailable } from '#cipher'
import { createSessionEngine } from '../cookie-engine.ts'
import { BadPayload, BadSignature, ConfigError, SignatureExpired } from '../errors.ts'
import * as portableCipher from './cipher/portable.ts'
import { iron } from './iron.ts'

const A = 'iron-password-a-0123456789abcdefghijklmn'
const B = 'iron-password-b-0123456789abcdefghijklmn'
const context = { secrets: [A], maxAge: 3600, clockSkew: 60 }

describe('iron()', {
  skip: cipherAvailable ? false : 'needs node:crypto (the portable build refuses iron(), below)',
}, () => {
  it('seals with fresh salts and IV every time, and opens its own seals', () => {
    const codec = iron().create(context)
    const one = codec.encode('{"a":1}', 1_700_000_000)
    const two = codec.encode('{"a":1}', 1_700_000_000)
    assert.notEqual(one, two)
    assert.match(
      one,
      /^Fe26\.2\*1\*[0-9a-f]{64}\*[\w-]{22}\*[\w-]+\*1700003600000\*[0-9a-f]{64}\*[\w-]{43}~2$/,
    )
    assert.deepEqual(codec.decode(one, 1_700_000_010), {
      json: '{"a":1}',
      issuedAt: 1_700_000_000,
      keyIndex: 0,
    })
  })

  it('ttl defaults to the engine’s maxAge, and 0 when maxAge is null', () => {
    assert.match(
      iron()
        .create({ ...context, maxAge: null })
        .encode('{}', 1),
      /\*\*[0-9a-f]{64}\*/,
    )
    assert.match(iron({ ttl: 10 }).create(context).encode('{}', 1), /\*11000\*/)
  })

  it('refuses expired, tampered, unknown-id and malformed seals with the error that says why', () => {
    const codec = iron().create(context)
    const sealed = codec.encode('{"a":1}', 1_700_000_000)
    assert.throws(() => codec.decode(sealed, 1_700_000_000 + 3600 + 61), SignatureExpired)
    const parts = sealed.split('*')
    // Change the first character for sure: replacing it with a fixed 'A' was a no-op 1 time in 64.
    const first = (parts[4] as string)[0]
    parts[4] = `${first === 'A' ? 'B' : 'A'}${(parts[4] as string).slice(1)}`
    assert.throws(() => codec.decode(parts.join('*'), 1_700_000_000), BadSignature)
    assert.throws(
      () => codec.decode(sealed.replace('Fe26.2*1*', 'Fe26.2*9*'), 1_700_000_000),
      /password id "9"/,
    )
    for (const bad of [
      '',
      'Fe26.2',
      `${sealed.slice(0, -2)}`,
      sealed.replace('Fe26.2', 'Fe26.1'),
      'a*b*c*d*e*f*g*h~2',
    ]) {
      assert.throws(() => codec.decode(bad, 1_700_000_000), BadSignature, bad)
    }
    // Authentic but not decryptable: sealed with another password under the same id.
    const other = iron()
      .create({ ...context, secrets: [B] })
      .encode('{}', 1_700_000_000)
    assert.throws(() => codec.decode(other, 1_700_000_000), BadSignature)
  })

  it('refuses an authentic seal whose ciphertext does not decrypt: BadPayload, never a throw of its own', () => {
    // A seal with a valid HMAC over a ciphertext no key made: what a holder of the password could send.
    const salt = 'a'.repeat(64)
    const base = `Fe26.2*1*${salt}*${Buffer.alloc(16).toString('base64url')}*${Buffer.alloc(16, 7).toString('base64url')}*`
    const macKey = pbkdf2Sync(A, salt, 1, 32, 'sha1')
    const sealed = `${base}*${salt}*${createHmac('sha256', macKey).update(base).digest('base64url')}~2`
    assert.throws(
      () =>
        iron()
          .create({ ...context, maxAge: null })
          .decode(sealed, 1_700_000_000),
      BadPayload,
    )
  })

  it('refuses at setup what iron-session refuses: short passwords, bad ids, a bad ttl', () => {
    assert.throws(() => iron().create({ ...context, secrets: ['short'] }), /shorter than 32/)
    assert.throws(() => iron({ passwordIds: [1, 2] }).create(context), /2 ids for 1 secrets/)
    assert.throws(() => iron({ passwordIds: ['a-b'] }).create(context), /letters, digits or _/)
    assert.throws(() => iron({ passwordIds: [1, 1] }).create({ ...context, secrets: [A, B] }), /twice/)
    assert.throws(() => iron({ ttl: -1 }), ConfigError)
  })

  it('on a build without node:crypto the format cannot be created (portable #cipher)', () => {
    assert.equal(portableCipher.available, false)
    assert.throws(() => portableCipher.random(1), /needs node:crypto/)
  })
})

describe('iron() on the portable build', {
  skip: cipherAvailable ? 'this build has node:crypto' : false,
}, () => {
  it('throws a ConfigError when the engine is created, saying why', () => {
    assert.throws(() => createSessionEngine({ secretKey: A, format: iron() }), /needs node:crypto/)
  })
})
