/**
 * What each way of making the core portable costs per cookie on Node (docs/portability.md): one
 * Starlette cookie of about 200 bytes signed and verified (encode + decode, the format's steps: base64
 * of the JSON, timestamp, HMAC-SHA1 with itsdangerous' key; then the HMAC again, the constant-time
 * compare, the timestamp and the payload decoded), with each candidate's HMAC and base64.
 *
 *   taskset -c 1 node --conditions=tessera-session-source --import tsx bench/micro/portable.ts
 *
 * Add `--conditions=tessera-portable` to see the real `starlette()` row on the portable build.
 * `--json` prints machine-readable rows. Times are CPU time (`cpuClock`), fastest of ROUNDS (default 7)
 * interleaved rounds: the machine is shared, and waiting for a core must not count.
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
import { cookieSize } from '../../src/cookie/limits.ts'
import { cpuClock, lastKept, nsPerOp } from './measure.ts'

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
const ROUNDS = Number(process.env.ROUNDS ?? 7)

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

const SALTED_KEY = nodeCrypto.digest('sha1', SALTED)
const nodeMac = nodeCrypto.keyedMac('sha1', SALTED_KEY)
const portableMac = portableCrypto.keyedMac('sha1', SALTED_KEY)

interface Row {
  candidate: string
  nsPerCookie: number
  note: string
}

/** What is timed: one round trip (or one part of it), synchronous. */
interface Candidate {
  candidate: string
  note: string
  fn: () => unknown
}

function roundTrip(candidate: string, codec: ReturnType<typeof composed>, note: string): Candidate {
  const cookie = codec.encode(JSON_TEXT)
  if (cookie !== reference || codec.decode(cookie) !== JSON_TEXT)
    throw new Error(`${candidate}: not the reference cookie`)
  return { candidate, note, fn: () => codec.decode(codec.encode(JSON_TEXT)) }
}

const reference = composed(nodeCrypto, nodeBase64).encode(JSON_TEXT)
// The real format, on whichever build `#crypto` and `#base64` resolved to (see the header).
const real = starlette().create({ secrets: [SECRET], maxAge: null, clockSkew: 60 })
if (real.encode(JSON_TEXT, now) !== reference) throw new Error('starlette() and the composed codec disagree')
const resolved = import.meta.resolve('#crypto').split('/src/')[1]

const candidates: Candidate[] = [
  roundTrip('node:crypto + Buffer base64', composed(nodeCrypto, nodeBase64), 'Node build (#crypto, #base64)'),
  roundTrip('node:crypto + portable base64', composed(nodeCrypto, portableBase64), 'what Buffer saves'),
  roundTrip(
    '@noble/hashes hmac() per message + portable base64',
    composed(nobleOneShot, portableBase64),
    'noble as usually called',
  ),
  roundTrip(
    '@noble/hashes keyed state cloned + portable base64',
    composed(portableCrypto, portableBase64),
    'portable build (#crypto, #base64)',
  ),
  {
    candidate: `starlette() codec as resolved (${resolved})`,
    note: 'the real format',
    fn: () => real.decode(real.encode(JSON_TEXT, now), now),
  },
]
const payload = nodeBase64.encodeBase64(JSON_TEXT)
const parts: Candidate[] = [
  { candidate: 'part: base64 of the JSON, Buffer', note: '', fn: () => nodeBase64.encodeBase64(JSON_TEXT) },
  {
    candidate: 'part: base64 of the JSON, portable',
    note: '',
    fn: () => portableBase64.encodeBase64(JSON_TEXT),
  },
  {
    candidate: 'part: payload back to text, Buffer',
    note: '',
    fn: () => nodeBase64.decodeBase64Text(payload),
  },
  {
    candidate: 'part: payload back to text, portable',
    note: '',
    fn: () => portableBase64.decodeBase64Text(payload),
  },
  { candidate: 'part: HMAC-SHA1 of the signed part, node:crypto', note: '', fn: () => nodeMac(reference) },
  {
    candidate: 'part: HMAC-SHA1 of the signed part, noble keyed',
    note: '',
    fn: () => portableMac(reference),
  },
  {
    candidate: 'part: cookie size, Buffer.byteLength',
    note: '',
    fn: () => Buffer.byteLength('session') + Buffer.byteLength(reference),
  },
  { candidate: 'part: cookie size, utf8Length', note: 'used', fn: () => cookieSize('session', reference) },
]

// Interleaved rounds, the fastest of each kept: a busy spell of the machine hits every candidate.
const best = new Map<Candidate, number>()
for (let round = 0; round < ROUNDS; round++) {
  for (const c of [...candidates, ...parts]) {
    best.set(c, Math.min(best.get(c) ?? Number.POSITIVE_INFINITY, nsPerOp(c.fn, 3, 30, cpuClock)))
  }
}
const rows: Row[] = [...candidates, ...parts].map((c) => ({
  candidate: c.candidate,
  note: c.note,
  nsPerCookie: best.get(c) as number,
}))

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
  const webRoundTrip = async () => {
    const stamped = `${portableBase64.encodeBase64(JSON_TEXT)}.${encodeTimestamp(now)}`
    const cookie = `${stamped}.${await mac(stamped)}`
    const at = cookie.lastIndexOf('.')
    if (!sameSignature(cookie.slice(at + 1), await mac(cookie.slice(0, at)))) throw new Error('bad signature')
    return portableBase64.decodeBase64Text(stamped.slice(0, stamped.lastIndexOf('.')))
  }
  if ((await webRoundTrip()) !== JSON_TEXT) throw new Error('web crypto: round trip failed')
  let fastest = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const n = 5_000
    const start = cpuClock()
    for (let i = 0; i < n; i++) await webRoundTrip()
    fastest = Math.min(fastest, (cpuClock() - start) / n)
  }
  rows.splice(candidates.length, 0, {
    candidate: 'Web Crypto crypto.subtle (async) + portable base64',
    nsPerCookie: fastest,
    note: 'async: cannot serve the synchronous open()',
  })
}
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
