import { BadPayload } from '../errors.ts'
import { decodeBase64, encodeBase64 } from './base64.ts'
import type { CookieFormat, Decoded } from './format.ts'
import { parseSessionJson } from './json.ts'
import { type Algorithm, Signer } from './signer.ts'
import { checkAge, TimestampSigner } from './timestamp.ts'
import { VerifiedCache } from './verified-cache.ts'

/** Options of {@link starletteFormat}. */
export interface StarletteFormatOptions {
  /** One secret or a rotation list (first signs, all verify). */
  secret: string | readonly string[]
  /** Seconds a cookie stays valid after it was issued; `null` for no limit (as Starlette). */
  maxAge: number | null
  /** Seconds a timestamp may lie in the future. */
  clockSkew: number
  /** @default 'sha1' (what Starlette uses; choose 'sha256' when no Python app reads the cookie) */
  algorithm?: Algorithm
  /**
   * How many recently verified cookie values to remember, so a returning cookie skips the HMAC
   * (see {@link VerifiedCache}); 0 turns the cache off.
   * @default 1000
   */
  verifiedCacheSize?: number
}

/** Enough for the cookies of the users active in the last moments of a busy server. */
const DEFAULT_VERIFIED_CACHE_SIZE = 1000

/**
 * Starlette's `SessionMiddleware` cookie: `TimestampSigner(secret).sign(b64encode(json))` with
 * itsdangerous' defaults, the payload in standard padded base64. Python writes `json.dumps` output
 * (ASCII with escapes, spaced separators), tessera compact UTF-8 JSON; both read either.
 */
export function starletteFormat(options: StarletteFormatOptions): CookieFormat {
  const signer = new TimestampSigner(
    new Signer({ secret: options.secret, algorithm: options.algorithm ?? 'sha1' }),
  )
  const { maxAge, clockSkew } = options
  const verified = new VerifiedCache(options.verifiedCacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE)
  return {
    name:
      options.algorithm === undefined || options.algorithm === 'sha1'
        ? 'starlette'
        : `starlette-${options.algorithm}`,
    encode(json, now) {
      return signer.sign(encodeBase64(json), now)
    },
    decode(value, now): Decoded {
      const known = verified.get(value)
      if (known !== undefined) {
        // Fast path: this exact value verified before; only its age can have changed since.
        checkAge(known.issuedAt, { maxAge, now, clockSkew })
        return {
          data: parseSessionJson(known.json),
          json: known.json,
          issuedAt: known.issuedAt,
          keyIndex: known.keyIndex,
        }
      }
      // The signature is checked before any byte of the payload is decoded or parsed.
      const { value: payload, issuedAt, keyIndex } = signer.unsign(value, { maxAge, now, clockSkew })
      const bytes = decodeBase64(payload)
      if (bytes === undefined) throw new BadPayload('session payload is not base64')
      const json = bytes.toString('utf8')
      const data = parseSessionJson(json)
      verified.remember(value, { json, issuedAt, keyIndex })
      return { data, json, issuedAt, keyIndex }
    },
  }
}
