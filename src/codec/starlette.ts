import { decodeBase64Text, encodeBase64 } from '#base64'
import { BadPayload } from '../errors.ts'
import type { CookieCodec, CookieFormat, Inspected } from './format.ts'
import { type Algorithm, checkAlgorithm, Signer } from './signer.ts'
import { decodeTimestamp, TimestampSigner } from './timestamp.ts'

/** Options of {@link starlette}. */
export interface StarletteOptions {
  /**
   * The HMAC digest. Starlette uses `sha1` (legacy in OWASP ASVS 5 but not broken for HMAC); choose
   * `sha256` when no Python app needs to read the cookie.
   * @default 'sha1'
   */
  algorithm?: Algorithm
}

/**
 * Starlette's `SessionMiddleware` cookie: `TimestampSigner(secret).sign(b64encode(json))` with
 * itsdangerous' defaults (salt `itsdangerous.Signer`, django-concat key derivation), the payload in
 * standard padded base64. Python writes `json.dumps` output (ASCII with escapes, spaced separators),
 * tessera compact UTF-8 JSON; both read either. Named `starlette`, or `starlette-sha256` /
 * `starlette-sha512` with another digest.
 *
 * @example
 * createSessionEngine({ secretKey, format: cached(starlette({ algorithm: 'sha256' })) })
 * @throws {import('../errors.ts').ConfigError} on an unknown algorithm.
 */
export function starlette(options: StarletteOptions = {}): CookieFormat {
  const algorithm = options.algorithm ?? 'sha1'
  checkAlgorithm(algorithm)
  const name = algorithm === 'sha1' ? 'starlette' : `starlette-${algorithm}`
  const format: CookieFormat = {
    name,
    create({ secrets, maxAge, clockSkew }): CookieCodec {
      const signer = new TimestampSigner(new Signer({ secret: secrets, algorithm }))
      return {
        name,
        encode: (json, now) => signer.sign(encodeBase64(json), now),
        decode(value, now) {
          // The signature is checked before any byte of the payload is decoded.
          const { value: payload, issuedAt, keyIndex } = signer.unsign(value, { maxAge, now, clockSkew })
          const json = decodeBase64Text(payload)
          if (json === undefined) throw new BadPayload('session payload is not base64')
          return { json, issuedAt, keyIndex }
        },
      }
    },
    inspect(value): Inspected | undefined {
      const parts = value.split('.')
      if (parts.length !== 3) return undefined
      const [payload, timestamp] = parts as [string, string, string]
      return { json: decodeBase64Text(payload), issuedAt: decodeTimestamp(timestamp) }
    },
  }
  return Object.freeze(format)
}
