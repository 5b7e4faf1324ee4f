/**
 * `#crypto` where `node:crypto` is missing (Workers, edge runtimes, Deno without Node compatibility,
 * browsers): @noble/hashes and, for the sealed format's AES-GCM, @noble/ciphers: audited, synchronous,
 * pure JavaScript.
 */
import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { encodeBase64Url } from '../base64/portable.ts'
import { utf8Bytes } from '../utf8.ts'
import { type Algorithm, GCM_TAG_BYTES, type Mac } from './contract.ts'

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

export function hkdfSha256(secret: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array {
  return hkdf(sha256, secret, salt, utf8Bytes(info), length)
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length))
}

export function sealAesGcm(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return gcm(key, iv, aad).encrypt(plaintext)
}

export function openAesGcm(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < GCM_TAG_BYTES) return undefined
  try {
    return gcm(key, iv, aad).decrypt(sealed)
  } catch {
    return undefined
  }
}
