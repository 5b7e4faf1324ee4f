/**
 * What `npm start` reads from the environment, as a function of it, so it is tested without a server:
 *
 * - `HOST`, `PORT`: where to listen (default `127.0.0.1:8000`).
 * - `SECRET_KEY`: the signing secret; your FastAPI app's `secret_key` to share its sessions.
 * - `SECRET_KEY_FALLBACKS`: older secrets, comma-separated, that still verify but never sign, as
 *   Django's setting of that name: `SECRET_KEY_FALLBACKS=old1,old2`. A cookie signed with one is
 *   re-issued with `SECRET_KEY` on its next response.
 * - `ALLOW_WEAK_SECRET=1`: sign with a `SECRET_KEY` shorter than 32 characters (tessera's
 *   `allowWeakSecret: true`, which warns at start-up), for a FastAPI app whose secret is short.
 */
import { randomBytes } from 'node:crypto'
import { ConfigError, type SessionOptions } from 'tessera-session'

/** Where the demo listens and the session options it passes to tessera. */
export interface DemoConfig {
  host: string
  port: number
  options: SessionOptions
  /** `SECRET_KEY` was not set: the secret is random and sessions end with the process. */
  randomSecret: boolean
}

const YES = new Set(['1', 'true', 'yes'])
const NO = new Set(['', '0', 'false', 'no'])

/**
 * The demo's configuration from `env`.
 * @throws {ConfigError} naming the variable when one cannot be read; tessera's own checks (secret
 * length...) run when the app is created.
 */
export function demoConfig(env: NodeJS.ProcessEnv, makeSecret = randomSecret): DemoConfig {
  const port = Number(env.PORT ?? 8000)
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new ConfigError(`PORT: ${JSON.stringify(env.PORT)} is not a port number`)
  const weak = (env.ALLOW_WEAK_SECRET ?? '').trim().toLowerCase()
  if (!YES.has(weak) && !NO.has(weak))
    throw new ConfigError(`ALLOW_WEAK_SECRET: ${JSON.stringify(env.ALLOW_WEAK_SECRET)} is not 1 or 0`)
  // Spaces around the commas are a list's formatting, not part of a key.
  const fallbacks = (env.SECRET_KEY_FALLBACKS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '')
  const randomSecret = !env.SECRET_KEY
  const signing = env.SECRET_KEY || makeSecret()
  const options: SessionOptions = { secretKey: fallbacks.length === 0 ? signing : [signing, ...fallbacks] }
  if (YES.has(weak)) options.allowWeakSecret = true
  return { host: env.HOST || '127.0.0.1', port, options, randomSecret }
}

function randomSecret(): string {
  return randomBytes(32).toString('base64')
}
