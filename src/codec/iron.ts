import { decodeBase64Url, encodeBase64Url } from '#base64'
import * as cipher from '#cipher'
import { BadPayload, BadSignature, BadTimeSignature, ConfigError, SignatureExpired } from '../errors.ts'
import type { CookieCodec, CookieFormat, Decoded } from './format.ts'
import { sameSignature } from './signer.ts'
import { checkAge } from './timestamp.ts'

/** Options of {@link iron}. */
export interface IronOptions {
  /**
   * Seconds a seal is valid, written into it as its expiration (iron-session's `ttl`); 0 writes
   * seals that never expire.
   * @default the engine's `maxAge` (0 when it is `null`), which is iron-session's default of 14 days
   */
  ttl?: number
  /**
   * iron-session's password ids of the engine's secrets, in the same order (first: the one that
   * seals). By default the first of n secrets is id n and the last id 1, so iron-session's
   * `password: { 1: old, 2: new }` is tessera's `secretKey: [new, old]`, and a single password
   * (iron-session's `{ 1: password }`) a single secret.
   */
  passwordIds?: readonly (string | number)[]
}

const PREFIX = 'Fe26.2'
/** iron-session's token version, after the seal: `<seal>~2`. */
const VERSION_SUFFIX = '~2'
/** iron's defaults: 256-bit salts (as hex text), a 128-bit IV, 32-byte keys, one PBKDF2 iteration. */
const SALT_BYTES = 32
const IV_BYTES = 16
const KEY_BYTES = 32
const ITERATIONS = 1
/** iron-webcrypto's `minPasswordlength`; iron-session refuses shorter passwords too. */
const MIN_PASSWORD_LENGTH = 32
const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * iron-session's cookie (v8, `Fe26.2` seals from iron-webcrypto): the session JSON encrypted with
 * AES-256-CBC and authenticated with HMAC-SHA256, each key derived from the password by PBKDF2-SHA1
 * (one iteration) with a random salt, the password id and expiration in clear:
 * `Fe26.2*id*salt*iv*ciphertext*expiration*hmacSalt*hmac~2`. A Next.js app on iron-session and a
 * tessera app with the same passwords read each other's cookies. Needs `node:crypto` (Node, Bun,
 * Deno): on other builds creating the format throws (`#cipher`).
 *
 * The seal carries an expiration, not an issue time: tessera takes the issue time to be the
 * expiration minus `ttl`.
 *
 * @example
 * createSessionEngine({ secretKey: [process.env.IRON_PASSWORD_2, process.env.IRON_PASSWORD_1], format: iron({ ttl: 86400 }) })
 * @throws {ConfigError} on a bad `ttl` or `passwordIds`.
 */
export function iron(options: IronOptions = {}): CookieFormat {
  const { ttl } = options
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0))
    throw new ConfigError(`iron: ttl ${String(ttl)} must be a whole number of seconds, 0 or more`)
  const format: CookieFormat = {
    name: 'iron',
    create({ secrets, maxAge, clockSkew }): CookieCodec {
      if (!cipher.available)
        throw new ConfigError(
          'iron: the iron-session format needs node:crypto (Node, Bun, Deno); this build has none',
        )
      const ids = passwordIds(options.passwordIds, secrets)
      for (const secret of secrets) {
        if (secret.length < MIN_PASSWORD_LENGTH)
          throw new ConfigError(
            `iron: a secret of ${secret.length} characters; iron-session refuses passwords shorter than ${MIN_PASSWORD_LENGTH}`,
          )
      }
      const lifetime = ttl ?? maxAge ?? 0
      return {
        name: 'iron',
        encode: (json, now) =>
          seal(
            json,
            secrets[0] as string,
            ids[0] as string,
            lifetime === 0 ? '' : String((now + lifetime) * 1000),
          ),
        decode(value, now): Decoded {
          const { json, id, expiration } = unseal(value, ids, secrets)
          const issuedAt = issueTime(expiration, lifetime, now, clockSkew)
          checkAge(issuedAt, { maxAge, now, clockSkew })
          return { json, issuedAt, keyIndex: ids.indexOf(id) }
        },
      }
    },
  }
  return Object.freeze(format)
}

/** The ids of `secrets`, given or numbered from n (the first) down to 1 (the last). */
function passwordIds(given: IronOptions['passwordIds'], secrets: readonly string[]): string[] {
  const ids = given === undefined ? secrets.map((_, i) => String(secrets.length - i)) : given.map(String)
  if (ids.length !== secrets.length)
    throw new ConfigError(
      `iron: passwordIds has ${ids.length} ids for ${secrets.length} secrets; give one per secret`,
    )
  for (const id of ids) {
    // iron-webcrypto's rule for password ids.
    if (!/^\w+$/.test(id)) throw new ConfigError(`iron: password id "${id}" must be letters, digits or _`)
  }
  if (new Set(ids).size !== ids.length) throw new ConfigError('iron: passwordIds has an id twice')
  return ids
}

function seal(json: string, password: string, id: string, expiration: string): string {
  const salt = hex(cipher.random(SALT_BYTES))
  const iv = cipher.random(IV_BYTES)
  const key = cipher.pbkdf2Sha1(password, salt, ITERATIONS, KEY_BYTES)
  const encrypted = cipher.encryptCbc(key, iv, utf8.encode(json))
  const base = `${PREFIX}*${id}*${salt}*${encodeBase64Url(iv)}*${encodeBase64Url(encrypted)}*${expiration}`
  const macSalt = hex(cipher.random(SALT_BYTES))
  return `${base}*${macSalt}*${mac(password, macSalt, base)}${VERSION_SUFFIX}`
}

/** `Fe26.2*id*salt*iv*ciphertext*expiration*hmacSalt*hmac`, split on `*`. */
type SealParts = [string, string, string, string, string, string, string, string]

/**
 * Opens a seal: the HMAC is checked before anything else is decoded or decrypted.
 * @throws {BadSignature} when it is not a seal, names no known password, or fails the HMAC.
 * @throws {BadPayload} when an authentic seal does not decrypt to UTF-8.
 */
function unseal(
  value: string,
  ids: readonly string[],
  secrets: readonly string[],
): { json: string; id: string; expiration: string } {
  if (!value.endsWith(VERSION_SUFFIX)) throw new BadSignature('not an iron-session seal (no ~2 version)')
  const parts = value.slice(0, -VERSION_SUFFIX.length).split('*')
  if (parts.length !== 8 || parts[0] !== PREFIX) throw new BadSignature(`not an ${PREFIX} seal`)
  const [, id, salt, iv64, encrypted64, expiration, macSalt, given] = parts as SealParts
  const index = ids.indexOf(id)
  if (index < 0) throw new BadSignature(`no secret for password id "${id}"`)
  const password = secrets[index] as string
  const base = parts.slice(0, 6).join('*')
  if (!sameSignature(given, mac(password, macSalt, base))) throw new BadSignature('seal HMAC does not match')
  const iv = decodeBase64Url(iv64)
  const encrypted = decodeBase64Url(encrypted64)
  if (iv?.length !== IV_BYTES || encrypted === undefined)
    throw new BadPayload('seal IV or ciphertext is not base64url')
  const key = cipher.pbkdf2Sha1(password, salt, ITERATIONS, KEY_BYTES)
  const plain = cipher.decryptCbc(key, iv, encrypted)
  if (plain === undefined) throw new BadPayload('seal does not decrypt')
  try {
    return { json: strictUtf8.decode(plain), id, expiration }
  } catch {
    throw new BadPayload('sealed session is not UTF-8')
  }
}

/**
 * When a seal was issued, from its expiration (milliseconds, or empty for none): the expiration
 * minus `ttl`, never later than now (an app with a longer ttl would otherwise date it in the future).
 * @throws {SignatureExpired} past the expiration, with iron's allowance for clock skew.
 */
function issueTime(expiration: string, ttl: number, now: number, clockSkew: number): number {
  if (expiration === '') return now
  if (!/^\d{1,16}$/.test(expiration)) throw new BadTimeSignature('malformed seal expiration')
  const expires = Number(expiration)
  if (expires <= (now - clockSkew) * 1000)
    throw new SignatureExpired(
      `seal expired at ${new Date(expires).toISOString()}`,
      new Date(expires - ttl * 1000),
    )
  return Math.min(now, Math.floor(expires / 1000) - ttl)
}

function mac(password: string, salt: string, base: string): string {
  return encodeBase64Url(cipher.hmacSha256(cipher.pbkdf2Sha1(password, salt, ITERATIONS, KEY_BYTES), base))
}

function hex(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0')
  return text
}
