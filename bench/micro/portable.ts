/**
 * What each way of making the core portable costs per cookie on Node (docs/portability.md): one
 * Starlette cookie of about 200 bytes signed and verified (encode + decode, the format's steps: base64
 * of the JSON, timestamp, HMAC-SHA1 with itsdangerous' key; then the HMAC again, the constant-time
 * compare, the timestamp and the payload decoded), with each candidate's HMAC and base64.
 *
 *   taskset -c 1 node --conditions=tessera-session-source --import tsx bench/micro/portable.ts
 *
 * Add `--conditions=tessera-portable` to see the real `starlette()` row on the portable build.
 * `--json` prints machine-readable rows.
 */
import { webcrypto } from 'node:crypto'
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import * as nodeBase64 from '../../src/codec/base64/node.ts'
import * as portableBase64 from '../../src/codec/base64/portable.ts'
import type { Hashing } from '../../src/codec/crypto/contract.ts'
import * as nodeCrypto from '../../src/codec/crypto/node.ts'
import * as portableCrypto from '../../src/codec/crypto/portable.ts'
import { sameSignature } from '../../src/codec/signer.ts'
import { starlette } from '../../src/codec/starlette.ts'
import { encodeTimestamp } from '../../src/codec/timestamp.ts'
import { cookieSize, utf8Length } from '../../src/cookie/limits.ts'
import { lastKept, nsPerOp } from './measure.ts'

type Base64 = typeof portableBase64

const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'
const SALTED = `itsdangerous.Signersigner${SECRET}`
// About 200 bytes of cookie: a signed-in user with a small cart.
const JSON_TEXT = JSON.stringify({
  user: 'alice',
  userId: 4242,
  roles: ['editor'],
  cart: ['apple', 'pear'],
  theme: 'dark',
  csrf: 'k9Z3x7QmT2',
})
const now = Math.floor(Date.now() / 1000)
const utf8 = new TextEncoder()

/** A cookie codec from one candidate's HMAC and base64: the steps of `starlette()`, nothing else. */
function composed(hashing: Pick<Hashing, 'digest' | 'keyedMac'>, base64: Base64) {
  const mac = hashing.keyedMac('sha1', hashing.digest('sha1', SALTED))
  return {
    encode(json: string): string {
      const stamped = `${base64.encodeBase64(json)}.${encodeTimestamp(now)}`
      return `${stamped}.${mac(stamped)}`
    },
    decode(cookie: string): string {
      const at = cookie.lastIndexOf('.')
      const stamped = cookie.slice(0, at)
      if (!sameSignature(cookie.slice(at + 1), mac(stamped))) throw new Error('bad signature')
      const dot = stamped.lastIndexOf('.')
      if (base64.decodeBase64Url(stamped.slice(dot + 1)) === undefined) throw new Error('bad timestamp')
      const json = base64.decodeBase64Text(stamped.slice(0, dot))
      if (json === undefined) throw new Error('bad payload')
      return json
    },
  }
}

/** @noble/hashes as most code calls it: `hmac(sha1, key, message)`, the key's pads hashed every time. */
const nobleOneShot: Pick<Hashing, 'digest' | 'keyedMac'> = {
  digest: portableCrypto.digest,
  keyedMac: (_algorithm, key) => (message) =>
    portableBase64.encodeBase64Url(nobleHmac(sha1, key, utf8.encode(message))),
}

interface Row {
  candidate: string
  nsPerCookie: number
  note: string
}
const rows: Row[] = []

function measure(candidate: string, codec: ReturnType<typeof composed>, note: string): void {
  const cookie = codec.encode(JSON_TEXT)
  if (codec.decode(cookie) !== JSON_TEXT) throw new Error(`${candidate}: round trip failed`)
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++)
    best = Math.min(
      best,
      nsPerOp(() => codec.decode(codec.encode(JSON_TEXT)), 3, 40),
    )
  rows.push({ candidate, nsPerCookie: best, note })
}

const reference = composed(nodeCrypto, nodeBase64).encode(JSON_TEXT)
measure(
  'node:crypto + Buffer base64 (#crypto, #base64 on Node)',
  composed(nodeCrypto, nodeBase64),
  'chosen for Node',
)
measure('node:crypto + portable base64', composed(nodeCrypto, portableBase64), 'shows what Buffer saves')
measure(
  '@noble/hashes hmac() one-shot + portable base64',
  composed(nobleOneShot, portableBase64),
  'the usual noble call',
)
measure(
  '@noble/hashes keyed state cloned + portable base64 (#crypto, #base64 elsewhere)',
  composed(portableCrypto, portableBase64),
  'chosen where node:crypto is missing',
)

// The real format, on whichever build `#crypto` and `#base64` resolved to (see the header).
const real = starlette().create({ secrets: [SECRET], maxAge: null, clockSkew: 60 })
if (real.encode(JSON_TEXT, now) !== reference) throw new Error('starlette() and the composed codec disagree')
{
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++)
    best = Math.min(
      best,
      nsPerOp(() => real.decode(real.encode(JSON_TEXT, now), now), 3, 40),
    )
  rows.push({
    candidate: `starlette() as resolved (${import.meta.resolve('#crypto').split('/src/')[1]})`,
    nsPerCookie: best,
    note: 'the real format',
  })
}

// Web Crypto: asynchronous, so it cannot serve the synchronous `open()`; timed for the record.
{
  const key = await webcrypto.subtle.importKey(
    'raw',
    nodeCrypto.digest('sha1', SALTED),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  const mac = async (message: string) =>
    portableBase64.encodeBase64Url(
      new Uint8Array(await webcrypto.subtle.sign('HMAC', key, utf8.encode(message))),
    )
  const roundTrip = async () => {
    const stamped = `${portableBase64.encodeBase64(JSON_TEXT)}.${encodeTimestamp(now)}`
    const cookie = `${stamped}.${await mac(stamped)}`
    const at = cookie.lastIndexOf('.')
    if (!sameSignature(cookie.slice(at + 1), await mac(cookie.slice(0, at)))) throw new Error('bad signature')
    return portableBase64.decodeBase64Text(stamped.slice(0, stamped.lastIndexOf('.')))
  }
  if ((await roundTrip()) !== JSON_TEXT) throw new Error('web crypto: round trip failed')
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 5; round++) {
    const n = 20_000
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await roundTrip()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n)
  }
  rows.push({
    candidate: 'Web Crypto crypto.subtle (async) + portable base64',
    nsPerCookie: best,
    note: 'does not fit the synchronous open()',
  })
}

// The pieces on their own: base64 of the payload and the cookie size check.
const payload = nodeBase64.encodeBase64(JSON_TEXT)
const parts: [string, () => unknown][] = [
  ['base64 encode of the JSON: Buffer', () => nodeBase64.encodeBase64(JSON_TEXT)],
  ['base64 encode of the JSON: portable', () => portableBase64.encodeBase64(JSON_TEXT)],
  ['base64 decode to text: Buffer', () => nodeBase64.decodeBase64Text(payload)],
  ['base64 decode to text: portable', () => portableBase64.decodeBase64Text(payload)],
  ['cookie size: Buffer.byteLength', () => Buffer.byteLength('session') + Buffer.byteLength(reference)],
  ['cookie size: utf8Length (portable, used)', () => utf8Length('session') + utf8Length(reference)],
]
for (const [candidate, fn] of parts) {
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++) best = Math.min(best, nsPerOp(fn, 3, 40))
  rows.push({ candidate, nsPerCookie: best, note: 'part' })
}
void cookieSize
void lastKept()

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ cookieBytes: reference.length, rows }))
} else {
  console.log(
    `cookie: ${reference.length} bytes (${JSON_TEXT.length} bytes of JSON), sign + verify per row\n`,
  )
  for (const r of rows)
    console.log(`${r.candidate.padEnd(82)} ${r.nsPerCookie.toFixed(0).padStart(7)} ns  ${r.note}`)
}
