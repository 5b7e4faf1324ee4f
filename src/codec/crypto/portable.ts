/**
 * `#crypto` where `node:crypto` is missing (Workers, edge runtimes, Deno without Node compatibility,
 * browsers): @noble/hashes, audited, synchronous, pure JavaScript.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { encodeBase64Url } from '../base64/portable.ts'
import { utf8Bytes } from '../utf8.ts'
import type { Algorithm, Mac } from './contract.ts'

const HASHES = { sha1, sha256, sha512 } as const

function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8Bytes(data) : data
}

export function digest(algorithm: Algorithm, data: string | Uint8Array): Uint8Array {
  return HASHES[algorithm](bytes(data))
}

export function hmac(algorithm: Algorithm, key: Uint8Array, data: string | Uint8Array): Uint8Array {
  return nobleHmac(HASHES[algorithm], key, bytes(data))
}

export function keyedMac(algorithm: Algorithm, key: Uint8Array): Mac {
  // Fast path: the key's inner and outer pads are hashed once, here, and each message starts from a
  // copy of that state: two compression rounds fewer per message (measured in docs/portability.md).
  const keyed = nobleHmac.create(HASHES[algorithm], key)
  return (message) => encodeBase64Url(keyed.clone().update(utf8Bytes(message)).digest())
}
