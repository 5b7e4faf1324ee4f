import { decodeBase64Url, encodeBase64Url } from '#base64'
import * as zlib from '#zlib'
import { BadPayload, ConfigError } from '../errors.ts'
import type { CookieCodec, CookieFormat, Inspected } from './format.ts'
import { Signer } from './signer.ts'
import { decodeTimestamp, TimestampSigner } from './timestamp.ts'

/** Options of {@link flask}. */
export interface FlaskOptions {
  /**
   * The most bytes a compressed payload may inflate to. A cookie holds at most 4 KB, but zlib
   * inflates up to about 1000 times: without a bound, a forged 3 KB cookie would cost megabytes
   * (only a validly signed one reaches the inflate, so this guards against a leaked key or a
   * careless signer, not the internet at large).
   * @default 65536
   */
  maxInflatedBytes?: number
}

/** 16 times the largest cookie: room for any real session that compressed well. */
const DEFAULT_MAX_INFLATED_BYTES = 65_536
const SALT = 'cookie-session'
const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Flask's session cookie (`flask.sessions.SecureCookieSessionInterface`): itsdangerous'
 * `URLSafeTimedSerializer` with salt `cookie-session`, the `hmac` key derivation and HMAC-SHA1, over
 * Flask's tagged JSON in URL-safe base64, zlib-compressed (marked by a leading `.`) when that is
 * shorter, as itsdangerous decides. Tagged values (tuples, bytes, datetimes...) are kept in their
 * tagged form (see `./flask-tags.ts`), so data goes back to Flask exactly. Compressed payloads are
 * read and written where `node:zlib` exists; elsewhere payloads are written uncompressed and a
 * compressed one is refused (`#zlib`).
 *
 * @example
 * createSessionEngine({ secretKey: process.env.FLASK_SECRET_KEY, format: flask(), maxAge: 31 * 86400 })
 * @throws {ConfigError} on a `maxInflatedBytes` that is not a positive whole number.
 */
export function flask(options: FlaskOptions = {}): CookieFormat {
  const limit = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES
  if (!(Number.isInteger(limit) && limit > 0))
    throw new ConfigError(`flask: maxInflatedBytes ${String(limit)} must be a whole number of bytes above 0`)
  const format: CookieFormat = {
    name: 'flask',
    create({ secrets, maxAge, clockSkew }): CookieCodec {
      const signer = new TimestampSigner(new Signer({ secret: secrets, salt: SALT, keyDerivation: 'hmac' }))
      return {
        name: 'flask',
        encode: (json, now) => signer.sign(dumpPayload(json), now),
        decode(value, now) {
          // The signature is checked before any byte of the payload is decoded or inflated.
          const { value: payload, issuedAt, keyIndex } = signer.unsign(value, { maxAge, now, clockSkew })
          return { json: loadPayload(payload, limit), issuedAt, keyIndex }
        },
      }
    },
    inspect(value): Inspected | undefined {
      const parts = value.split('.')
      const compressed = parts.length === 4 && parts[0] === ''
      if (!(parts.length === 3 || compressed)) return undefined
      const [payload, timestamp] = compressed ? [`.${parts[1]}`, parts[2] as string] : parts
      let json: string | undefined
      try {
        json = loadPayload(payload as string, limit)
      } catch {
        json = undefined
      }
      return { json, issuedAt: decodeTimestamp(timestamp as string) }
    },
  }
  return Object.freeze(format)
}

/** itsdangerous' `URLSafeSerializerMixin.dump_payload`: compress when it saves more than a byte. */
function dumpPayload(json: string): string {
  const bytes = utf8.encode(json)
  const compressed = zlib.deflate(bytes)
  if (compressed !== undefined && compressed.length < bytes.length - 1)
    return `.${encodeBase64Url(compressed)}`
  return encodeBase64Url(bytes)
}

/** itsdangerous' `load_payload`, with the inflated size bounded and UTF-8 checked as Python does. */
function loadPayload(payload: string, limit: number): string {
  const compressed = payload.startsWith('.')
  const bytes = decodeBase64Url(compressed ? payload.slice(1) : payload)
  if (bytes === undefined) throw new BadPayload('session payload is not URL-safe base64')
  try {
    return strictUtf8.decode(compressed ? zlib.inflate(bytes, limit) : bytes)
  } catch (error) {
    if (error instanceof BadPayload) throw error
    throw new BadPayload('session payload is not UTF-8')
  }
}
