/**
 * `#crypto` on runtimes with `node:crypto` (Node, Bun, Deno): OpenSSL's native HMAC, the fastest
 * synchronous one there is (docs/portability.md).
 */
import { createHash, createHmac } from 'node:crypto'
import type { Algorithm, Mac } from './contract.ts'

export function digest(algorithm: Algorithm, data: string | Uint8Array): Uint8Array {
  return createHash(algorithm).update(data).digest()
}

export function hmac(algorithm: Algorithm, key: Uint8Array, data: string | Uint8Array): Uint8Array {
  return createHmac(algorithm, key).update(data).digest()
}

export function keyedMac(algorithm: Algorithm, key: Uint8Array): Mac {
  return (message) => createHmac(algorithm, key).update(message, 'utf8').digest('base64url')
}
