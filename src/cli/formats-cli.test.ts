/**
 * The CLI on every format: sign and verify Flask and iron-session cookies, recognise the format,
 * refuse each hostile cookie with its reason and exit code 1, `--json` on every command, and never
 * let a control character from a cookie reach the terminal. On the portable build
 * (test/runtimes/portable-node.test.ts) what needs node:crypto (iron) or node:zlib is left out.
 */
const NEEDS_CRYPTO = { skip: cipherAvailable ? false : 'iron needs node:crypto' }
const NEEDS_ZLIB = { skip: zlibAvailable ? false : 'compressed cookies need node:zlib' }

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { available as cipherAvailable } from '#cipher'
import { available as zlibAvailable } from '#zlib'
import { Signer } from '../codec/signer.ts'
import { TimestampSigner } from '../codec/timestamp.ts'
import { run } from './main.ts'

const SECRET = 'cli-formats-secret-0123456789abcdefghijk'
const OLD = 'cli-formats-old-secret-0123456789abcdefg'
const { flask: FLASK_VECTORS } = JSON.parse(
  readFileSync(new URL('../../test/fixtures/itsdangerous-vectors.json', import.meta.url), 'utf8'),
) as { flask: { secret: string; timestamp: number; cookie: string }[] }
const now = () => Math.floor(Date.now() / 1000)
// Anything a terminal would act on: C0 (but newline), DEL, C1, bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

function flaskSign(payload: string, at = now(), secret = SECRET): string {
  return new TimestampSigner(new Signer({ secret, salt: 'cookie-session', keyDerivation: 'hmac' })).sign(
    payload,
    at,
  )
}
function starletteSign(payload: string, at = now(), secret = SECRET): string {
  return new TimestampSigner(new Signer({ secret })).sign(payload, at)
}

describe('tessera CLI: Flask and iron-session formats', () => {
  for (const format of ['flask', 'iron']) {
    it(
      `${format}: sign, then verify recognises the format by itself and prints times and data`,
      format === 'iron' ? NEEDS_CRYPTO : {},
      () => {
        const signed = run(['sign', '{"user":"ada","n":[1,2]}', '--format', format, '--secret', SECRET])
        assert.equal(signed.code, 0, signed.output)
        const verified = run(['verify', signed.output, '--secret', SECRET])
        assert.equal(verified.code, 0, verified.output)
        assert.match(verified.output, new RegExp(`^format: +${format}\\n`))
        assert.match(verified.output, /\nissued: +\d{4}-\d\d-\d\dT/)
        assert.match(verified.output, /\nage: +\d+ s\n/)
        assert.match(verified.output, /\nexpires: +\d{4}-/)
        assert.match(verified.output, /"user": "ada"/)
        assert.equal(run(['verify', signed.output, '--secret', SECRET, '--format', format]).code, 0)
      },
    )
  }

  it('verifies cookies real Flask minted, compressed ones too', NEEDS_ZLIB, () => {
    for (const v of FLASK_VECTORS.filter((x) => x.timestamp === 1_700_000_000).slice(0, 5)) {
      const verified = run(['verify', v.cookie, '--secret', v.secret, '--max-age', 'none'])
      assert.equal(verified.code, 0, verified.output)
      assert.match(verified.output, /^format: +flask\n/)
      assert.match(verified.output, /issued: +2023-11-14T22:13:20/)
    }
  })

  it('rotation: --secret NEW --secret OLD verifies an old cookie, in every format', () => {
    for (const format of ['starlette', 'flask', ...(cipherAvailable ? ['iron'] : [])]) {
      const old = run(['sign', '{"a":1}', '--format', format, '--secret', OLD]).output
      const verified = run(['verify', old, '--secret', SECRET, '--secret', OLD])
      assert.equal(verified.code, 0, `${format}: ${verified.output}`)
      assert.match(verified.output, /secret #2/)
    }
  })

  it('inspect reads Flask cookies without a secret, and nothing of an iron seal', {
    skip: NEEDS_CRYPTO.skip || NEEDS_ZLIB.skip,
  }, () => {
    const compressed = FLASK_VECTORS.find((v) => v.cookie.startsWith('.')) as { cookie: string }
    const shown = run(['inspect', compressed.cookie])
    assert.equal(shown.code, 0, shown.output)
    assert.match(shown.output, /UNVERIFIED/)
    assert.match(shown.output, /format: flask \(by its shape\)/)
    const sealed = run(['sign', '{"secret":"x"}', '--format', 'iron', '--secret', SECRET]).output
    const nothing = run(['inspect', sealed])
    assert.equal(nothing.code, 1)
    assert.match(nothing.output, /iron cookies are encrypted: nothing in one can be read without the secret/)
    assert.doesNotMatch(nothing.output, /secret"?:/)
  })

  it('iron refuses a secret shorter than 32 characters, as iron-session does: exit 2', NEEDS_CRYPTO, () => {
    const outcome = run(['sign', '{}', '--format', 'iron', '--secret', 'short', '--allow-weak-secret'])
    assert.equal(outcome.code, 2)
    assert.match(outcome.output, /iron-session refuses passwords shorter than 32/)
  })
})

describe('tessera CLI: hostile cookies are rejected with the reason, exit 1, never a crash', () => {
  const flaskCookie = run(['sign', '{"role":"user"}', '--format', 'flask', '--secret', SECRET]).output
  const ironCookie = run(['sign', '{"role":"user"}', '--format', 'iron', '--secret', SECRET]).output
  const starletteCookie = run(['sign', '{"role":"user"}', '--secret', SECRET]).output
  const bomb = deflateSync(Buffer.from(`{"a":1${' '.repeat(2_000_000)}}`)).toString('base64url')
  const cases: [string, string, RegExp][] = [
    ['truncated flask', flaskCookie.slice(0, -4), /rejected: BadSignature/],
    ['truncated iron', ironCookie.slice(0, -4), /rejected: BadSignature/],
    ['tampered iron', ironCookie.replace('*', '*9'), /rejected: BadSignature/],
    [
      'wrong key',
      run(['sign', '{}', '--format', 'flask', '--secret', OLD]).output,
      /BadSignature: signature does not match/,
    ],
    [
      'expired flask',
      flaskSign(Buffer.from('{}').toString('base64url'), now() - 15 * 86400),
      /SignatureExpired.*\[flask\]/,
    ],
    [
      'not JSON (flask)',
      flaskSign(Buffer.from('not json').toString('base64url')),
      /BadPayload: session payload is not valid JSON/,
    ],
    ['not an object (starlette)', starletteSign(Buffer.from('[1]').toString('base64')), /not a JSON object/],
    [
      'a zlib bomb',
      flaskSign(`.${bomb}`),
      zlibAvailable
        ? /BadPayload: compressed session inflates past the 65536-byte limit/
        : /BadPayload: .*node:zlib/,
    ],
    ['oversized', `${starletteCookie}${'A'.repeat(5000)}`, /over the 4096-byte limit/],
    ['garbage', 'garbage', /rejected: /],
  ]
  for (const [name, cookie, reason] of cases) {
    it(name, name.includes('iron') ? NEEDS_CRYPTO : {}, () => {
      const outcome = run(['verify', cookie, '--secret', SECRET])
      assert.equal(outcome.code, 1, outcome.output)
      assert.match(outcome.output, reason)
    })
  }

  it('another format’s cookie, when the format is given', () => {
    const outcome = run(['verify', starletteCookie, '--secret', SECRET, '--format', 'flask'])
    assert.equal(outcome.code, 1)
    assert.match(outcome.output, /rejected: BadSignature.*\[flask\]/)
    assert.equal(run(['verify', flaskCookie, '--secret', SECRET, '--format', 'starlette']).code, 1)
    if (cipherAvailable)
      assert.equal(run(['verify', flaskCookie, '--secret', SECRET, '--format', 'iron']).code, 1)
  })
})

describe('tessera CLI: --json on every command', () => {
  it('secret, sign, verify (valid and rejected), inspect, and usage errors print one JSON object', () => {
    const secret = JSON.parse(run(['secret', '--json']).output)
    assert.equal(Buffer.from(secret.secret, 'base64').length, 32)
    const signed = run([
      'sign',
      '{"id":12345678901234567890}',
      '--format',
      'flask',
      '--secret',
      SECRET,
      '--json',
    ])
    const sign = JSON.parse(signed.output)
    assert.equal(sign.format, 'flask')
    assert.equal(sign.tooLarge, false)
    const verified = run(['verify', sign.cookie, '--secret', SECRET, '--json'])
    assert.equal(verified.code, 0)
    assert.match(verified.output, /"data":\{"id":12345678901234567890\}\}$/, 'exact integers')
    const v = JSON.parse(verified.output)
    assert.equal(v.valid, true)
    assert.equal(v.format, 'flask')
    assert.equal(typeof v.age, 'number')
    assert.match(v.issuedAt, /^\d{4}-/)
    const rejected = run(['verify', sign.cookie, '--secret', OLD, '--json'])
    assert.equal(rejected.code, 1)
    assert.deepEqual(Object.keys(JSON.parse(rejected.output)), ['valid', 'format', 'error', 'reason'])
    const inspected = JSON.parse(run(['inspect', sign.cookie, '--json']).output)
    assert.equal(inspected.verified, false)
    assert.ok([inspected.format, ...inspected.alsoReadableAs].includes('flask'), JSON.stringify(inspected))
    const usage = run(['verify', sign.cookie, '--json'])
    assert.equal(usage.code, 2)
    assert.match(JSON.parse(usage.output).error, /--secret/)
    assert.equal(run(['sign', '{}', '--bogus', '--json']).code, 2)
    assert.ok(JSON.parse(run(['sign', '{}', '--bogus', '--json']).output).error)
  })
})

describe('tessera CLI: a cookie cannot drive the terminal', () => {
  const hostile = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\r'

  it('inspect escapes control characters of an invalid payload printed raw', () => {
    // Raw control characters inside a JSON string: not JSON, so inspect prints the text as it is.
    const payload = Buffer.from(`{"a":"${hostile}"}`).toString('base64')
    const outcome = run(['inspect', starletteSign(payload)])
    assert.doesNotMatch(outcome.output, RAW_CONTROL)
    assert.match(outcome.output, /\\u001b\]0;pwned\\u0007/)
    assert.match(outcome.output, /\\u009b31m\\u202eevil\\u000d/)
  })

  it('verify escapes C1 and bidi characters JSON leaves raw, in text and in --json', () => {
    const cookie = starletteSign(Buffer.from(JSON.stringify({ a: hostile })).toString('base64'))
    for (const extra of [[], ['--json']]) {
      const outcome = run(['verify', cookie, '--secret', SECRET, ...extra])
      assert.equal(outcome.code, 0, outcome.output)
      assert.doesNotMatch(outcome.output, RAW_CONTROL)
      assert.match(outcome.output, /\\u009b31m\\u202eevil/)
    }
    assert.equal(JSON.parse(run(['verify', cookie, '--secret', SECRET, '--json']).output).data.a, hostile)
  })

  it('error messages quoting the cookie are escaped too', NEEDS_CRYPTO, () => {
    const ironCookie = run(['sign', '{}', '--format', 'iron', '--secret', SECRET]).output
    const outcome = run([
      'verify',
      ironCookie.replace('Fe26.2*1*', 'Fe26.2*\u001b[31m*'),
      '--secret',
      SECRET,
      '--format',
      'iron',
    ])
    assert.equal(outcome.code, 1)
    assert.doesNotMatch(outcome.output, RAW_CONTROL)
    assert.match(outcome.output, /password id "\\u001b\[31m"/)
  })
})
