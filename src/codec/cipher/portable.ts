/**
 * `#cipher` where `node:crypto` is missing. Web Crypto's AES-CBC is asynchronous and the engine
 * decodes synchronously, so the iron-session format is not offered on this build: creating it
 * throws a ConfigError that says so (README, "Formats"). Shipping a synchronous AES (e.g.
 * @noble/ciphers) behind this same import would lift that.
 */
import { ConfigError } from '../../errors.ts'

export const available = false

function unavailable(): never {
  throw new ConfigError(
    'iron: the iron-session format needs node:crypto (Node, Bun, Deno); this build has none',
  )
}

export function pbkdf2Sha1(
  _password: string,
  _salt: string,
  _iterations: number,
  _length: number,
): Uint8Array {
  return unavailable()
}

export function hmacSha256(_key: Uint8Array, _message: string): Uint8Array {
  return unavailable()
}

export function encryptCbc(_key: Uint8Array, _iv: Uint8Array, _plaintext: Uint8Array): Uint8Array {
  return unavailable()
}

export function decryptCbc(
  _key: Uint8Array,
  _iv: Uint8Array,
  _ciphertext: Uint8Array,
): Uint8Array | undefined {
  return unavailable()
}

export function random(_length: number): Uint8Array {
  return unavailable()
}
