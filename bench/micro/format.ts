/**
 * Micro-benchmarks of the Starlette cookie format: sign / verify (TimestampSigner), encode / decode
 * (the whole format), each next to the floor: one raw node:crypto HMAC over the same bytes. `decode`
 * is measured without the verified-signature cache (a cookie seen for the first time) and with it
 * (the same cookie coming back). The sealed format (AES-256-GCM) is timed beside it, against the
 * same floor, so the two formats compare directly. The Flask format beside it (`flask encode` /
 * `flask decode`), its floor the raw HMAC under Flask's key over its own cookie; the 2 KB session is
 * compressed (zlib), so those rows include the deflate and the bounded inflate.
 * `--json` prints machine-readable rows (used by bench/run.ts), else a table.
 */
import { createHash, createHmac } from 'node:crypto'
import { encodeBase64 } from '#base64'
import { cached } from '../../src/codec/cached.ts'
import { flask } from '../../src/codec/flask.ts'
import { sealed } from '../../src/codec/sealed.ts'
import { Signer } from '../../src/codec/signer.ts'
import { starlette } from '../../src/codec/starlette.ts'
import { TimestampSigner } from '../../src/codec/timestamp.ts'
import { LARGE_SESSION, MAX_AGE, SECRET, SMALL_SESSION } from '../apps/common.ts'
import { lastKept, nsPerOp } from './measure.ts'

const now = Math.floor(Date.now() / 1000)
const options = { maxAge: MAX_AGE, now, clockSkew: 60 }
const signer = new TimestampSigner(new Signer({ secret: SECRET }))
// Without the verified-signature cache, every decode does the full work; with it, a returning cookie.
const context = { secrets: [SECRET], maxAge: MAX_AGE, clockSkew: 60 }
const format = starlette().create(context)
const remembered = cached(starlette()).create(context)
const sealedFormat = sealed().create(context)
const sealedRemembered = cached(sealed()).create(context)
// The key itsdangerous derives ("django-concat"), so the raw HMAC does exactly the signer's work.
const key = createHash('sha1').update(`itsdangerous.Signersigner${SECRET}`).digest()
const rawHmac = (bytes: string) => () => createHmac('sha1', key).update(bytes, 'utf8').digest()
const flaskFormat = flask().create(context)
const flaskRemembered = cached(flask()).create(context)
// Flask's "hmac" key derivation: HMAC-SHA1(secret, "cookie-session").
const flaskKey = createHmac('sha1', SECRET).update('cookie-session').digest()
const flaskHmac = (bytes: string) => () => createHmac('sha1', flaskKey).update(bytes, 'utf8').digest()

interface Row {
  operation: string
  input: string
  nsPerOp: number
  floorNsPerOp: number
}

const rows: Row[] = []
for (const [input, data] of [
  ['small session', SMALL_SESSION],
  ['2 KB session', LARGE_SESSION],
] as const) {
  const json = JSON.stringify(data)
  const payload = encodeBase64(json)
  const cookie = format.encode(json, now)
  const signedPart = cookie.slice(0, cookie.lastIndexOf('.'))
  const flaskCookie = flaskFormat.encode(json, now)
  const flaskFloor = flaskHmac(flaskCookie.slice(0, flaskCookie.lastIndexOf('.')))
  // Operation and floor are timed in alternation, the fastest of each kept, so that a slow spell of
  // the machine cannot favour either side.
  const add = (operation: string, fn: () => unknown, floor = rawHmac(signedPart), length = cookie.length) => {
    let op = Number.POSITIVE_INFINITY
    let raw = Number.POSITIVE_INFINITY
    for (let i = 0; i < 5; i++) {
      op = Math.min(op, nsPerOp(fn, 3, 40))
      raw = Math.min(raw, nsPerOp(floor, 3, 40))
    }
    rows.push({ operation, input: `${input} (${length} B cookie)`, nsPerOp: op, floorNsPerOp: raw })
  }
  add('sign', () => signer.sign(payload, now))
  add('verify', () => signer.unsign(cookie, options))
  add('encode', () => format.encode(json, now))
  add('decode', () => format.decode(cookie, now))
  add('decode (cache hit)', () => remembered.decode(cookie, now))
  const sealedCookie = sealedFormat.encode(json, now)
  add('sealed encode', () => sealedFormat.encode(json, now), rawHmac(signedPart), sealedCookie.length)
  add('sealed decode', () => sealedFormat.decode(sealedCookie, now), rawHmac(signedPart), sealedCookie.length)
  add(
    'sealed decode (cache hit)',
    () => sealedRemembered.decode(sealedCookie, now),
    rawHmac(signedPart),
    sealedCookie.length,
  )
  add('flask encode', () => flaskFormat.encode(json, now), flaskFloor, flaskCookie.length)
  add('flask decode', () => flaskFormat.decode(flaskCookie, now), flaskFloor, flaskCookie.length)
  add(
    'flask decode (cache hit)',
    () => flaskRemembered.decode(flaskCookie, now),
    flaskFloor,
    flaskCookie.length,
  )
}
void lastKept()

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ rows }))
} else {
  for (const r of rows) {
    console.log(
      `${r.operation.padEnd(26)} ${r.input.padEnd(34)} ${r.nsPerOp.toFixed(0).padStart(6)} ns  raw HMAC ${r.floorNsPerOp.toFixed(0).padStart(6)} ns  ${(r.nsPerOp / r.floorNsPerOp).toFixed(2)}x`,
    )
  }
}
