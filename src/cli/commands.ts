/**
 * The CLI's commands as plain functions: arguments in, text out, so they are tested without a shell.
 */
import { randomBytes } from 'node:crypto'
import type { CookieCodec, CookieFormat } from '../codec/format.ts'
import { parseSessionJson, stringifySession } from '../codec/json.ts'
import { cookieSize, MAX_NAME_AND_VALUE_BYTES } from '../cookie/limits.ts'
import { BadData, ConfigError } from '../errors.ts'
import { DEFAULTS } from '../options.ts'
import { checkSecretKey } from '../secret-key.ts'

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
  format: CookieFormat
  now: number
}

/** The format bound to the command's secrets, with Starlette's clock skew. */
function codecFor(options: KeyOptions): CookieCodec {
  return options.format.create({
    secrets: options.secrets,
    maxAge: options.maxAge,
    clockSkew: DEFAULTS.clockSkew,
  })
}

/** `tessera secret`: a random secret suitable for `secretKey` and Starlette's `secret_key`. */
export function secret(): Outcome {
  return { output: randomBytes(32).toString('base64'), code: 0 }
}

/** `tessera sign '<json>'`: a session cookie value, as Starlette would write it. */
export function sign(json: string, options: KeyOptions): Outcome {
  signingSecretCheck(options)
  const data = parseSessionJson(json)
  const value = codecFor(options).encode(stringifySession(data), options.now)
  const size = cookieSize(DEFAULTS.sessionCookie, value)
  const warning =
    size > MAX_NAME_AND_VALUE_BYTES
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

/** `tessera verify '<cookie>'`: checks the signature and age, then shows the data. */
export function verify(cookie: string, options: KeyOptions): Outcome {
  const codec = codecFor(options)
  try {
    const decoded = codec.decode(stripName(cookie), options.now)
    const data = parseSessionJson(decoded.json)
    const lines = [
      `format:    ${codec.name}`,
      'signature: valid' +
        (decoded.keyIndex > 0
          ? ` (secret #${decoded.keyIndex + 1}: re-issued with the first on next write)`
          : ''),
      `issued:    ${new Date(decoded.issuedAt * 1000).toISOString()} (${options.now - decoded.issuedAt} s ago)`,
      options.maxAge === null
        ? 'expires:   never on the server (maxAge null)'
        : `expires:   ${new Date((decoded.issuedAt + options.maxAge) * 1000).toISOString()}`,
      `data:      ${JSON.stringify(data, null, 2)}`,
    ]
    return { output: lines.join('\n'), code: 0 }
  } catch (error) {
    if (!(error instanceof BadData)) throw error
    return { output: `rejected: ${error.name}: ${error.message}`, code: 1 }
  }
}

/**
 * `tessera inspect '<cookie>'`: shows what a cookie holds WITHOUT checking it (no secret needed).
 * Exit code 1 when a part cannot be read: such a cookie gives an empty session.
 */
export function inspect(cookie: string, format: CookieFormat): Outcome {
  const value = stripName(cookie)
  if (format.inspect === undefined)
    return { output: `a ${format.name} cookie cannot be read without its secret: use verify`, code: 1 }
  const inspected = format.inspect(value)
  if (inspected === undefined) return { output: `not a ${format.name} session cookie`, code: 1 }
  const { json, issuedAt } = inspected
  const dataProblem = json === undefined ? 'payload is not base64' : jsonProblem(json)
  const lines = [
    'UNVERIFIED: anyone can read a signed cookie; only the signature check makes it trustworthy.',
    `issued: ${issuedAt === undefined ? 'unreadable timestamp' : new Date(issuedAt * 1000).toISOString()}`,
    `size:   ${cookieSize(DEFAULTS.sessionCookie, value)} of ${MAX_NAME_AND_VALUE_BYTES} bytes`,
    `data:   ${json ?? ''}${dataProblem === undefined ? '' : `${json === undefined ? '' : ' '}(${dataProblem})`}`,
  ]
  const unreadable = issuedAt === undefined || dataProblem !== undefined
  if (unreadable) lines.push('unreadable: the middleware would give this cookie an empty session')
  return { output: lines.join('\n'), code: unreadable ? 1 : 0 }
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

const BARE_VALUE = /^[A-Za-z0-9+/]*={0,2}\.[\w-]*\.[\w-]+$/

/** Accepts `value`, `session=value` or a whole `Set-Cookie` line. */
function stripName(cookie: string): string {
  const pair = (cookie.trim().split(';')[0] as string).replace(/^"(.*)"$/, '$1')
  // A bare value may itself contain "=" (base64 padding), so only strip a name from what is not one.
  if (BARE_VALUE.test(pair)) return pair
  return pair.slice(pair.indexOf('=') + 1).replace(/^"(.*)"$/, '$1')
}
