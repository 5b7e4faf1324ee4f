#!/usr/bin/env node
/**
 * `tessera`: make secrets, and sign, verify or inspect Starlette-compatible session cookies, e.g.
 * to check that a FastAPI app and a tessera app agree on a secret.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { CookieFormat } from '../codec/format.ts'
import { BadData, ConfigError } from '../errors.ts'
import { DEFAULTS } from '../options.ts'
import { inspect, type KeyOptions, type Outcome, secret, sign, verify } from './commands.ts'
import { FORMATS, formatNamed } from './formats.ts'

const USAGE = `usage:
  tessera secret                                  print a new random secret
  tessera sign '<json>'    --secret S [options]   print a signed session cookie value
  tessera verify '<cookie>' --secret S [options]  check a cookie and print its data
  tessera inspect '<cookie>' [--format F]         print what a cookie holds, unverified

options:
  --secret S        secret key; repeat for rotation (first signs, all verify); or env SECRET_KEY
  --max-age N       seconds a cookie stays valid (default ${DEFAULTS.maxAge}; "none" for no limit)
  --format F        cookie format: ${FORMATS.map((f) => f.name).join(', ')} (default ${FORMATS[0]?.name})
  --algorithm A     shorthand for --format starlette-A: sha1 (Starlette's), sha256 or sha512`

/** Runs the CLI on `argv` (without node and script) and returns what to print and the exit code. */
export function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Outcome {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      secret: { type: 'string', multiple: true },
      'max-age': { type: 'string' },
      format: { type: 'string' },
      algorithm: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, input] = positionals
  if (values.help || command === undefined)
    return { output: USAGE, code: command === undefined && !values.help ? 2 : 0 }
  if (command === 'secret') return secret()
  if (input === undefined) return { output: `tessera ${command}: missing argument\n\n${USAGE}`, code: 2 }
  const format = chosenFormat(values)
  if (command === 'inspect') return inspect(input, format)
  if (command !== 'sign' && command !== 'verify')
    return { output: `unknown command "${command}"\n\n${USAGE}`, code: 2 }
  const options = keyOptions(values, format, env)
  return command === 'sign' ? sign(input, options) : verify(input, options)
}

/** `--format`, or the Starlette format `--algorithm` names. */
function chosenFormat(values: { format?: string; algorithm?: string }): CookieFormat {
  const { format, algorithm } = values
  if (algorithm === undefined) return formatNamed(format)
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512')
    throw new ConfigError(`--algorithm: "${algorithm}" is not sha1, sha256 or sha512`)
  if (format !== undefined)
    throw new ConfigError('--algorithm: give either --format or --algorithm, not both')
  return formatNamed(algorithm === 'sha1' ? 'starlette' : `starlette-${algorithm}`)
}

function keyOptions(
  values: { secret?: string[]; 'max-age'?: string },
  format: CookieFormat,
  env: NodeJS.ProcessEnv,
): KeyOptions {
  const secrets = values.secret ?? (env.SECRET_KEY ? [env.SECRET_KEY] : [])
  if (secrets.length === 0) throw new ConfigError('--secret: give the secret key (or set SECRET_KEY)')
  const rawMaxAge = values['max-age']
  const maxAge = rawMaxAge === undefined ? DEFAULTS.maxAge : rawMaxAge === 'none' ? null : Number(rawMaxAge)
  if (maxAge !== null && !(Number.isInteger(maxAge) && maxAge > 0))
    throw new ConfigError(`--max-age: "${rawMaxAge}" is not a whole number of seconds or "none"`)
  return { secrets, maxAge, format, now: Math.floor(Date.now() / 1000) }
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
