/**
 * `#cipher` on runtimes with `node:crypto` (Node, Bun, Deno): what the iron-session format needs
 * beyond the signer's hashes (PBKDF2, AES-256-CBC, random bytes), all synchronous.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

export const available = true

/** PBKDF2-HMAC-SHA1 of a UTF-8 password and a UTF-8 salt text, `length` bytes. */
export function pbkdf2Sha1(password: string, salt: string, iterations: number, length: number): Uint8Array {
  return pbkdf2Sync(password, salt, iterations, length, 'sha1')
}

export function hmacSha256(key: Uint8Array, message: string): Uint8Array {
  return createHmac('sha256', key).update(message, 'utf8').digest()
}

/** AES-256-CBC with PKCS#7 padding (Web Crypto's AES-CBC). */
export function encryptCbc(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  return Buffer.concat([cipher.update(plaintext), cipher.final()])
}

/** The inverse of {@link encryptCbc}, or `undefined` when the padding (or length) is wrong. */
export function decryptCbc(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    return undefined
  }
}

export function random(length: number): Uint8Array {
  return randomBytes(length)
}
