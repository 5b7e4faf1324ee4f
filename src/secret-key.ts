/**
 * The signing secret: where it comes from, how long it must be, and the one explicit way to use a
 * shorter one (a FastAPI app's existing `secret_key`).
 */
import { ConfigError } from './errors.ts'
import { consoleLogger, type Logger } from './logger.ts'

/** Shortest accepted signing secret: 32 characters carry at least 128 bits when random hex or base64. */
export const MIN_SECRET_LENGTH = 32

const WHERE_SECRETS_COME_FROM =
  'a secret comes from an environment variable (secretKey: process.env.SECRET_KEY) or a secrets manager, never from the code; ' +
  `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`

/**
 * Checks `secretKey` (a string, or a rotation list whose first key signs) and returns it as a frozen
 * list. The signing key must have {@link MIN_SECRET_LENGTH} characters unless `allowWeakSecret` is
 * `true`, which warns instead; keys after the first only verify and may be shorter.
 * @throws {ConfigError} naming the key, what is wrong and where a secret should come from.
 */
export function checkSecretKey(
  secretKey: unknown,
  allowWeakSecret: unknown,
  logger: Logger = consoleLogger,
): readonly string[] {
  if (allowWeakSecret !== undefined && typeof allowWeakSecret !== 'boolean')
    throw new ConfigError(`allowWeakSecret: ${String(allowWeakSecret)} must be true or false`)
  if (secretKey === undefined || secretKey === null || (Array.isArray(secretKey) && secretKey.length === 0))
    throw new ConfigError(`secretKey: missing; ${WHERE_SECRETS_COME_FROM}`)
  if (secretKey === '') {
    // `process.env.SECRET_KEY ?? ''` with the variable unset.
    throw new ConfigError(
      `secretKey: an empty string (is its environment variable set?); ${WHERE_SECRETS_COME_FROM}`,
    )
  }
  if (typeof secretKey !== 'string' && !Array.isArray(secretKey))
    throw new ConfigError(`secretKey: expected a string or a list of strings, got ${typeof secretKey}`)
  const secrets: readonly unknown[] = typeof secretKey === 'string' ? [secretKey] : secretKey
  secrets.forEach((secret, index) => {
    if (typeof secret !== 'string' || secret.length === 0) {
      const got =
        typeof secret === 'string'
          ? 'an empty string'
          : secret === undefined
            ? 'undefined'
            : `a ${typeof secret}`
      throw new ConfigError(
        `secretKey[${index}]: ${got}; every key of the list must be a non-empty string (is its environment variable set?); ${WHERE_SECRETS_COME_FROM}`,
      )
    }
  })
  const signing = secrets[0] as string
  if (signing.length < MIN_SECRET_LENGTH) {
    if (allowWeakSecret !== true) {
      throw new ConfigError(
        `secretKey: the signing secret is ${signing.length} characters, shorter than ${MIN_SECRET_LENGTH}; ${WHERE_SECRETS_COME_FROM}. ` +
          'To keep accepting cookies signed with a short old secret, list it after the new one; ' +
          'to sign with the short secret of an existing app (a FastAPI secret_key), pass allowWeakSecret: true.',
      )
    }
    warnWeakSecret(signing.length, logger)
  }
  return Object.freeze([...(secrets as string[])])
}

/** The start-up warning of `allowWeakSecret: true`, sent once per engine through its logger. */
export function warnWeakSecret(length: number, logger: Logger): void {
  logger.warn(
    `WEAK SECRET: the signing secret is ${length} characters (fewer than ${MIN_SECRET_LENGTH}) and allowWeakSecret is on. ` +
      'Whoever guesses it can forge any session. Move to a strong secret: put a new one first and this one after it, ' +
      'and remove it once the cookies it signed have expired (while it is listed, a cookie forged with it is accepted).',
  )
}
