/**
 * The CLI's commands as plain functions: arguments in, text (or JSON) out, so they are tested
 * without a shell. Everything printed goes through {@link escapeControls}: a cookie is attacker
 * input, and an escape sequence in it must not reach the operator's terminal.
 */
import { randomBytes } from 'node:crypto'
import type { CookieCodec, CookieFormat, Decoded } from '../codec/format.ts'
import { parseSessionJson, stringifyExact, stringifySession } from '../codec/json.ts'
import { cookieSize, MAX_NAME_AND_VALUE_BYTES } from '../cookie/limits.ts'
import { BadData, BadSignature, ConfigError } from '../errors.ts'
import { DEFAULTS } from '../options.ts'
import { checkSecretKey } from '../secret-key.ts'
import { likelyFormats } from './formats.ts'

/** What a command printed and the exit code it asks for. */
export interface Outcome {
  output: string
  code: number
}

/** Options shared by `sign` and `verify`. */
export interface KeyOptions {
  secrets: string[]
  /** Sign with a secret shorter than 32 characters, as the middleware's `allowWeakSecret: true`. */
  allowWeakSecret: boolean
  maxAge: number | null
  /** The format; `undefined` lets `verify` recognise it (sign: Starlette's). */
  format: CookieFormat | undefined
  now: number
  /** Print one JSON object instead of text. */
  json: boolean
}

/** The format bound to the command's secrets, with Starlette's clock skew. */
function codecFor(format: CookieFormat, options: KeyOptions): CookieCodec {
  return format.create({ secrets: options.secrets, maxAge: options.maxAge, clockSkew: DEFAULTS.clockSkew })
}

/** `tessera secret`: a random secret suitable for `secretKey` and Starlette's `secret_key`. */
export function secret(json = false): Outcome {
  const key = randomBytes(32).toString('base64')
  return { output: json ? JSON.stringify({ secret: key }) : key, code: 0 }
}

/** `tessera sign '<json>'`: a session cookie value, in the chosen format (Starlette's by default). */
export function sign(json: string, options: KeyOptions, format: CookieFormat): Outcome {
  signingSecretCheck(options)
  const data = parseSessionJson(json)
  const value = codecFor(format, options).encode(stringifySession(data), options.now)
  const size = cookieSize(DEFAULTS.sessionCookie, value)
  const tooLarge = size > MAX_NAME_AND_VALUE_BYTES
  if (options.json) {
    return { output: JSON.stringify({ format: format.name, cookie: value, size, tooLarge }), code: 0 }
  }
  const warning = tooLarge
    ? `\nwarning: ${size} bytes, over the ${MAX_NAME_AND_VALUE_BYTES}-byte cookie limit`
    : ''
  return { output: value + warning, code: 0 }
}

/**
 * The middleware's own check of the signing secret, so the CLI never signs a cookie that the
 * middleware would refuse to sign; its message, with the command line's name for the opt-in.
 */
function signingSecretCheck(options: KeyOptions): void {
  try {
    const [only] = options.secrets
    checkSecretKey(options.secrets.length === 1 ? only : options.secrets, options.allowWeakSecret)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new ConfigError(
      `--secret: ${error.message.replace('pass allowWeakSecret: true', 'pass --allow-weak-secret')}`,
    )
  }
}

/**
 * `tessera verify '<cookie>'`: checks the cookie in the given format, or in each format the cookie
 * may be in (likeliest first) until one verifies, then shows its times and data.
 */
export function verify(cookie: string, options: KeyOptions): Outcome {
  const value = stripName(cookie)
  const size = cookieSize(DEFAULTS.sessionCookie, value)
  if (size > MAX_NAME_AND_VALUE_BYTES) {
    // As the engine: a value no browser would send is not worth a check.
    const reason = `cookie of ${size} bytes is over the ${MAX_NAME_AND_VALUE_BYTES}-byte limit; the middleware drops it unchecked`
    return {
      output: options.json
        ? JSON.stringify({ valid: false, error: 'BadData', reason })
        : `rejected: BadData: ${reason}`,
      code: 1,
    }
  }
  const formats = options.format === undefined ? likelyFormats(value) : [options.format]
  const failures: { format: CookieFormat; error: BadData }[] = []
  for (const format of formats) {
    let codec: CookieCodec
    try {
      codec = codecFor(format, options)
    } catch (error) {
      // A format these secrets cannot serve (iron's 32-character minimum) when guessing: skip it.
      if (error instanceof ConfigError && options.format === undefined) continue
      throw error
    }
    try {
      const decoded = codec.decode(value, options.now)
      return verified(format, decoded, parseSessionJson(decoded.json), options)
    } catch (error) {
      if (!(error instanceof BadData)) throw error
      failures.push({ format, error })
    }
  }
  // The failure that got past a signature says most (expired, bad payload); else the likeliest format's.
  const { format, error } = failures.find((f) => f.error.constructor !== BadSignature) ??
    failures[0] ?? { format: formats[0] as CookieFormat, error: new BadSignature('no format applies') }
  const guessed = options.format === undefined && failures.length > 1
  if (options.json) {
    return {
      output: JSON.stringify({ valid: false, format: format.name, error: error.name, reason: error.message }),
      code: 1,
    }
  }
  const tried = guessed ? ` (tried ${failures.map((f) => f.format.name).join(', ')})` : ''
  return { output: `rejected: ${error.name}: ${error.message} [${format.name}]${tried}`, code: 1 }
}

function verified(format: CookieFormat, decoded: Decoded, data: unknown, options: KeyOptions): Outcome {
  const age = options.now - decoded.issuedAt
  const expiresAt = options.maxAge === null ? null : decoded.issuedAt + options.maxAge
  if (options.json) {
    const head = JSON.stringify({
      valid: true,
      format: format.name,
      keyIndex: decoded.keyIndex,
      issuedAt: iso(decoded.issuedAt),
      age,
      expiresAt: expiresAt === null ? null : iso(expiresAt),
    })
    // The data exactly: integers past 2^53 as digits, not rounded.
    return { output: `${head.slice(0, -1)},"data":${stringifyExact(data)}}`, code: 0 }
  }
  const lines = [
    `format:    ${format.name}`,
    'signature: valid' +
      (decoded.keyIndex > 0
        ? ` (secret #${decoded.keyIndex + 1}: re-issued with the first on next write)`
        : ''),
    `issued:    ${iso(decoded.issuedAt)}`,
    `age:       ${age} s`,
    expiresAt === null ? 'expires:   never on the server (maxAge null)' : `expires:   ${iso(expiresAt)}`,
    `data:      ${JSON.stringify(data, (_, v) => (typeof v === 'bigint' ? `${v}n` : v), 2)}`,
  ]
  return { output: lines.join('\n'), code: 0 }
}

/**
 * `tessera inspect '<cookie>'`: shows what a cookie holds WITHOUT checking it (no secret needed),
 * in the given format or the likeliest one that can read it. Nothing, for an encrypted format.
 * Exit code 1 when a part cannot be read: such a cookie gives an empty session.
 */
export function inspect(cookie: string, chosen: CookieFormat | undefined, json = false): Outcome {
  const value = stripName(cookie)
  const formats = chosen === undefined ? likelyFormats(value) : [chosen]
  const [likeliest] = formats as [CookieFormat]
  const readable = formats.filter((f) => f.inspect?.(value) !== undefined)
  const readingWell = readable.filter((f) => readsWell(f, value))
  const format = readingWell[0] ?? readable[0]
  // Without the secret, a payload in the common alphabet of base64 and base64url reads the same as
  // Starlette's and as Flask's: say so rather than pretend to know.
  const family = (f: CookieFormat) => f.name.replace(/-.*/, '')
  const alsoAs = [...new Set(readingWell.map(family))].filter(
    (name) => format !== undefined && name !== family(format),
  )
  if (format === undefined) {
    const reason =
      likeliest.inspect === undefined
        ? `${likeliest.name} cookies are encrypted: nothing in one can be read without the secret; use verify`
        : `not a ${chosen?.name ?? 'known'} session cookie`
    return { output: json ? JSON.stringify({ verified: false, readable: false, reason }) : reason, code: 1 }
  }
  const { json: text, issuedAt } = format.inspect?.(value) ?? { json: undefined, issuedAt: undefined }
  const unreadablePayload =
    format.name === 'flask'
      ? 'payload is not base64url, or not zlib within the bound'
      : 'payload is not base64'
  const dataProblem = text === undefined ? unreadablePayload : jsonProblem(text)
  const size = cookieSize(DEFAULTS.sessionCookie, value)
  const unreadable = issuedAt === undefined || dataProblem !== undefined
  if (json) {
    const output = JSON.stringify({
      verified: false,
      readable: !unreadable,
      format: format.name,
      alsoReadableAs: alsoAs,
      issuedAt: issuedAt === undefined ? null : iso(issuedAt),
      size,
      payload: text ?? null,
      problem: dataProblem ?? null,
    })
    return { output, code: unreadable ? 1 : 0 }
  }
  const lines = [
    'UNVERIFIED: anyone can read a signed cookie; only the signature check makes it trustworthy.',
    `format: ${format.name}${chosen === undefined ? ' (by its shape)' : ''}${alsoAs.length > 0 ? `; reads the same as ${alsoAs.join(', ')}: only verify can tell` : ''}`,
    `issued: ${issuedAt === undefined ? 'unreadable timestamp' : iso(issuedAt)}`,
    `size:   ${size} of ${MAX_NAME_AND_VALUE_BYTES} bytes`,
    `data:   ${text ?? ''}${dataProblem === undefined ? '' : `${text === undefined ? '' : ' '}(${dataProblem})`}`,
  ]
  if (unreadable) lines.push('unreadable: the middleware would give this cookie an empty session')
  return { output: lines.join('\n'), code: unreadable ? 1 : 0 }
}

function readsWell(format: CookieFormat, value: string): boolean {
  const inspected = format.inspect?.(value)
  return (
    inspected?.json !== undefined &&
    inspected.issuedAt !== undefined &&
    jsonProblem(inspected.json) === undefined
  )
}

function jsonProblem(text: string): string | undefined {
  try {
    parseSessionJson(text)
    return undefined
  } catch (error) {
    if (!(error instanceof BadData)) throw error
    return error.message
  }
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? `${seconds} s since the epoch` : date.toISOString()
}

/**
 * Control characters (C0 but newline, DEL, C1) and the invisible reordering marks of Unicode
 * bidirectional text, as `\uXXXX`: visible, and still valid inside a JSON string. Without it, a
 * cookie holding `\x1b]...` or U+009B could drive the operator's terminal.
 */
export function escapeControls(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

const BARE_VALUE = /^[A-Za-z0-9+/]*={0,2}\.[\w-]*\.[\w-]+$/

/** Accepts `value`, `session=value` or a whole `Set-Cookie` line. */
function stripName(cookie: string): string {
  const pair = (cookie.trim().split(';')[0] as string).replace(/^"(.*)"$/, '$1')
  // A bare value may itself contain "=" (base64 padding), so only strip a name from what is not one.
  if (BARE_VALUE.test(pair)) return pair
  return pair.slice(pair.indexOf('=') + 1).replace(/^"(.*)"$/, '$1')
}
