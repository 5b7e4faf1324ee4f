#!/usr/bin/env node
/**
 * `tessera-session`: make secrets, and sign, verify or inspect session cookies (Starlette's, Flask's,
 * iron-session's), e.g. to check that a FastAPI or Flask app and a tessera app agree on a secret.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { CookieFormat } from '../codec/format.ts'
import { BadData, ConfigError } from '../errors.ts'
import { DEFAULTS } from '../options.ts'
import { MIN_SECRET_LENGTH } from '../secret-key.ts'
import { escapeControls, inspect, type KeyOptions, type Outcome, secret, sign, verify } from './commands.ts'
import { FORMATS, formatNamed } from './formats.ts'

const USAGE = `usage:
  tessera-session secret                                  print a new random secret
  tessera-session sign '<json>'    --secret S [options]   print a signed session cookie value
  tessera-session verify '<cookie>' --secret S [options]  check a cookie (any format) and print its data
  tessera-session inspect '<cookie>'                      print what a cookie holds, unverified
  exit codes: 0 done/valid, 1 cookie rejected or unreadable, 2 usage or configuration error

options:
  --secret S            secret key; repeat for rotation (first signs, all verify); or env SECRET_KEY
  --allow-weak-secret   sign: accept a signing secret shorter than ${MIN_SECRET_LENGTH} characters (a FastAPI
                        app's short secret_key), as the middleware's allowWeakSecret: true; warns
  --max-age N           verify: seconds a cookie stays valid (default ${DEFAULTS.maxAge}; "none" for no limit)
  --format F            cookie format: ${FORMATS.map((f) => f.name).join(', ')}
                        (sign: default ${FORMATS[0]?.name}; verify, inspect: recognised from the cookie)
  --algorithm A         shorthand for --format starlette-A: sha1 (Starlette's), sha256 or sha512
  --json                print one JSON object (every command)
  -h, --help            this text`

const FLAGS = {
  secret: { type: 'string', multiple: true },
  'allow-weak-secret': { type: 'boolean' },
  'max-age': { type: 'string' },
  format: { type: 'string' },
  algorithm: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Flag = Exclude<keyof typeof FLAGS, 'help'>

/** Each command's argument count and the flags it takes; any other flag is an error, not ignored. */
const COMMANDS: Readonly<Record<string, { args: number; flags: readonly Flag[] }>> = {
  secret: { args: 0, flags: ['json'] },
  sign: { args: 1, flags: ['secret', 'allow-weak-secret', 'format', 'algorithm', 'json'] },
  verify: { args: 1, flags: ['secret', 'max-age', 'format', 'algorithm', 'json'] },
  inspect: { args: 1, flags: ['format', 'json'] },
}

/** Why a flag does not apply to a command, when that is not obvious. */
const NOT_HERE: Readonly<Record<string, string>> = {
  'sign --max-age': 'a cookie value holds only its issue time; the max age is the verifier’s',
  'verify --allow-weak-secret': 'a secret that only verifies may be short already',
  'inspect --secret': 'inspect does not check the signature; use verify',
}

/**
 * Runs the CLI on `argv` (without node and script) and returns what to print and the exit code.
 * What is printed never carries a raw control character (see {@link escapeControls}).
 */
export function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Outcome {
  const outcome = runCommand(argv, env)
  return { output: escapeControls(outcome.output), code: outcome.code }
}

function runCommand(argv: string[], env: NodeJS.ProcessEnv): Outcome {
  const json = argv.includes('--json')
  const usageError = (message: string): Outcome =>
    json ? { output: JSON.stringify({ error: message }), code: 2 } : usageText(message)
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    // node:util's parseArgs: unknown flag, missing value, value given to a boolean flag.
    const code = (error as { code?: string }).code
    if (code === undefined || !code.startsWith('ERR_PARSE_ARGS_')) throw error
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1]
    return usageError(unknown === undefined ? (error as Error).message : `unknown flag ${unknown}`)
  }
  const { values, positionals } = parsed
  if (values.help) return { output: USAGE, code: 0 }
  const [command, ...args] = positionals
  if (command === undefined) return usageError('missing command')
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (spec === undefined) return usageError(`unknown command "${command}"`)
  if (args.length < spec.args) return usageError(`${command}: missing argument`)
  if (args.length > spec.args) return usageError(`${command}: unexpected argument "${args[spec.args]}"`)
  for (const flag of Object.keys(values) as Flag[]) {
    if (!spec.flags.includes(flag)) {
      const why = NOT_HERE[`${command} --${flag}`]
      return usageError(`${command} takes no --${flag}${why === undefined ? '' : ` (${why})`}`)
    }
  }
  try {
    const input = args[0] as string
    if (command === 'secret') return secret(json)
    const format = chosenFormat(values)
    if (command === 'inspect') return inspect(input, format, json)
    const options = keyOptions(values, format, env)
    return command === 'sign'
      ? sign(input, options, format ?? (FORMATS[0] as CookieFormat))
      : verify(input, options)
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof BadData)) throw error
    return json
      ? { output: JSON.stringify({ error: error.message }), code: 2 }
      : { output: `tessera-session: ${error.message}`, code: 2 }
  }
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: FLAGS })
}

function usageText(message: string): Outcome {
  return { output: `tessera-session: ${message}\n\n${USAGE}`, code: 2 }
}

/** `--format`, the Starlette format `--algorithm` names, or `undefined` for none given. */
function chosenFormat(values: { format?: string; algorithm?: string }): CookieFormat | undefined {
  const { format, algorithm } = values
  if (algorithm === undefined) return format === undefined ? undefined : formatNamed(format)
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512')
    throw new ConfigError(`--algorithm: "${algorithm}" is not sha1, sha256 or sha512`)
  if (format !== undefined)
    throw new ConfigError('--algorithm: give either --format or --algorithm, not both')
  return formatNamed(algorithm === 'sha1' ? 'starlette' : `starlette-${algorithm}`)
}

function keyOptions(
  values: { secret?: string[]; 'allow-weak-secret'?: boolean; 'max-age'?: string; json?: boolean },
  format: CookieFormat | undefined,
  env: NodeJS.ProcessEnv,
): KeyOptions {
  const secrets = values.secret ?? (env.SECRET_KEY ? [env.SECRET_KEY] : [])
  if (secrets.length === 0) throw new ConfigError('--secret: give the secret key (or set SECRET_KEY)')
  const rawMaxAge = values['max-age']
  const maxAge = rawMaxAge === undefined ? DEFAULTS.maxAge : rawMaxAge === 'none' ? null : Number(rawMaxAge)
  if (maxAge !== null && !(Number.isInteger(maxAge) && maxAge > 0))
    throw new ConfigError(`--max-age: "${rawMaxAge}" is not a whole number of seconds or "none"`)
  return {
    secrets,
    allowWeakSecret: values['allow-weak-secret'] === true,
    maxAge,
    format,
    now: Math.floor(Date.now() / 1000),
    json: values.json === true,
  }
}

// Run when executed (directly or through npm's bin symlink), not when imported by the tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { output, code } = run(process.argv.slice(2))
  ;(code === 0 ? process.stdout : process.stderr).write(`${output}\n`)
  process.exitCode = code
}
