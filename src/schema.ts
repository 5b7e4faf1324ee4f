import type { StandardSchemaV1 } from '@standard-schema/spec'
import { ConfigError, InvalidSessionData } from './errors.ts'

/**
 * Checks a verified cookie's data against the `schema` option.
 * @throws {InvalidSessionData} when the data fails; the engine turns it into an empty session.
 * @throws {ConfigError} when the schema validates asynchronously: a cookie session is read
 * synchronously, on first use, so an async schema cannot be honoured there.
 */
export function checkSessionData(schema: StandardSchemaV1, data: unknown): void {
  const result = schema['~standard'].validate(data)
  if (result instanceof Promise) {
    // Keep the abandoned validation from surfacing as an unhandled rejection.
    result.catch(() => {})
    throw new ConfigError(
      'schema: validation returned a Promise (an async refinement or transform); cookie sessions are ' +
        'validated synchronously: remove the async step from the session schema',
    )
  }
  if (result.issues !== undefined) throw new InvalidSessionData(result.issues)
}
