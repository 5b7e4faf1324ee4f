/**
 * The formats `--format` can name. A format added to the library is offered here by one more line.
 */
import type { CookieFormat } from '../codec/format.ts'
import { starlette } from '../codec/starlette.ts'
import { ConfigError } from '../errors.ts'

/** Every format the CLI knows, by name; the first is the default. */
export const FORMATS: readonly CookieFormat[] = [
  starlette(),
  starlette({ algorithm: 'sha256' }),
  starlette({ algorithm: 'sha512' }),
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
