/**
 * The formats `--format` can name, and how a cookie's format is recognised when `--format` is not
 * given. A format added to the library is offered here by one more line in {@link FORMATS}.
 */
import { flask } from '../codec/flask.ts'
import type { CookieFormat } from '../codec/format.ts'
import { iron } from '../codec/iron.ts'
import { looksSealed, sealed } from '../codec/sealed.ts'
import { starlette } from '../codec/starlette.ts'
import { ConfigError } from '../errors.ts'

/** Every format the CLI knows, by name; the first is the default for `sign`. */
export const FORMATS: readonly CookieFormat[] = [
  starlette(),
  starlette({ algorithm: 'sha256' }),
  starlette({ algorithm: 'sha512' }),
  flask(),
  iron(),
  sealed(),
]

/**
 * The format called `name` (default: Starlette's).
 * @throws {ConfigError} naming the formats there are.
 */
export function formatNamed(name: string | undefined): CookieFormat {
  const format = name === undefined ? FORMATS[0] : FORMATS.find((f) => f.name === name)
  if (format === undefined)
    throw new ConfigError(`--format: "${name}" is not one of ${FORMATS.map((f) => f.name).join(', ')}`)
  return format
}

/**
 * Every format, the likeliest for `value` first: what its shape says (iron's `Fe26.2*` prefix, sealed's `t1.`,
 * Flask's leading `.` of a compressed payload or URL-safe alphabet, Starlette's padded standard
 * base64, the signature's length for the digest). Only the secret can tell for sure: `verify` tries
 * them in this order and the first that verifies wins.
 */
export function likelyFormats(value: string): CookieFormat[] {
  const score = (format: CookieFormat): number => shapeScore(format.name, value)
  return [...FORMATS].sort((a, b) => score(b) - score(a))
}

/** Base64url lengths of HMAC signatures: SHA-1 20 bytes, SHA-256 32, SHA-512 64. */
const SIGNATURE_LENGTHS: Readonly<Record<string, number>> = { sha1: 27, sha256: 43, sha512: 86 }

function shapeScore(name: string, value: string): number {
  if (value.startsWith('Fe26.2*')) return name === 'iron' ? 3 : 0
  if (looksSealed(value)) return name === 'sealed' ? 3 : 0
  if (name === 'iron' || name === 'sealed') return 0
  const payload = value.slice(0, value.indexOf('.', 1))
  const signature = value.slice(value.lastIndexOf('.') + 1)
  const flaskShaped = value.startsWith('.') || /[-_]/.test(payload) || payload.length % 4 !== 0
  const starletteShaped = /[+/=]/.test(payload)
  if (name === 'flask') return flaskShaped ? 2 : 1
  if (starletteShaped || !flaskShaped) {
    const digest = name === 'starlette' ? 'sha1' : name.slice('starlette-'.length)
    return signature.length === SIGNATURE_LENGTHS[digest] ? 2.5 : 1.5
  }
  return 0.5
}
