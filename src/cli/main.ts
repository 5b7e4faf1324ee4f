#!/usr/bin/env node
/**
 * `tessera`: make secrets, and sign, verify or inspect Starlette-compatible session cookies, e.g.
 * to check that a FastAPI app and a tessera app agree on a secret.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { BadData, ConfigError } from '../errors.ts'
import { DEFAULTS } from '../options.ts'
import { inspect, type KeyOptions, type Outcome, secret, sign, verify } from './commands.ts'

const USAGE = `usage:
  tessera secret                                  print a new random secret
  tessera sign '<json>'    --secret S [options]   print a signed session cookie value
  tessera verify '<cookie>' --secret S [options]  check a cookie and print its data
  tessera inspect '<cookie>'                      print what a cookie holds, unverified

options:
  --secret S        secret key; repeat for rotation (first signs, all verify); or env SECRET_KEY
  --max-age N       seconds a cookie stays valid (default ${DEFAULTS.maxAge}; "none" for no limit)
  --algorithm A     sha1 (Starlette's, default), sha256 or sha512`

/** Runs the CLI on `argv` (without node and script) and returns what to print and the exit code. */
export function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Outcome {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      secret: { type: 'string', multiple: true },
      'max-age': { type: 'string' },
      algorithm: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, input] = positionals
  if (values.help || command === undefined)
    return { output: USAGE, code: command === undefined && !values.help ? 2 : 0 }
  if (command === 'secret') return secret()
  if (input === undefined) return { output: `tessera ${command}: missing argument\n\n${USAGE}`, code: 2 }
  if (command === 'inspect') return inspect(input)
  if (command !== 'sign' && command !== 'verify')
    return { output: `unknown command "${command}"\n\n${USAGE}`, code: 2 }
  const options = keyOptions(values, env)
  return command === 'sign' ? sign(input, options) : verify(input, options)
}

function keyOptions(
  values: { secret?: string[]; 'max-age'?: string; algorithm?: string },
  env: NodeJS.ProcessEnv,
): KeyOptions {
  const secrets = values.secret ?? (env.SECRET_KEY ? [env.SECRET_KEY] : [])
  if (secrets.length === 0) throw new ConfigError('--secret: give the secret key (or set SECRET_KEY)')
  const rawMaxAge = values['max-age']
  const maxAge = rawMaxAge === undefined ? DEFAULTS.maxAge : rawMaxAge === 'none' ? null : Number(rawMaxAge)
  if (maxAge !== null && !(Number.isInteger(maxAge) && maxAge > 0))
    throw new ConfigError(`--max-age: "${rawMaxAge}" is not a whole number of seconds or "none"`)
  const algorithm = values.algorithm ?? 'sha1'
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512')
    throw new ConfigError(`--algorithm: "${algorithm}" is not sha1, sha256 or sha512`)
  return { secrets, maxAge, algorithm, now: Math.floor(Date.now() / 1000) }
}

// Run when executed (directly or through npm's bin symlink), not when imported by the tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  try {
    const { output, code } = run(process.argv.slice(2))
    ;(code === 0 ? process.stdout : process.stderr).write(`${output}\n`)
    process.exitCode = code
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof BadData || error instanceof TypeError)) throw error
    process.stderr.write(`tessera: ${error.message}\n`)
    process.exitCode = 2
  }
}
