import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type } from 'arktype'
import {
  type BadData,
  ConfigError,
  createSessionEngine,
  InvalidSessionData,
  type SessionOptions,
} from 'tessera-session'
import * as v from 'valibot'
import { z } from 'zod'

const secretKey = 'schema-test-secret-0123456789-abcdefgh'

/** A cookie header carrying `data`, minted by an engine without a schema. */
function cookieWith(data: Record<string, unknown>): string {
  const engine = createSessionEngine({ secretKey })
  const value = engine.serialize(data).split(';')[0] as string
  return value
}

const schemas = {
  'zod 4': z.object({ user: z.string(), visits: z.number().optional() }),
  valibot: v.object({ user: v.string(), visits: v.optional(v.number()) }),
  arktype: type({ user: 'string', 'visits?': 'number' }),
}

for (const [name, schema] of Object.entries(schemas)) {
  describe(`schema option with ${name}`, () => {
    function engineWith(extra: Partial<SessionOptions> = {}) {
      const invalid: BadData[] = []
      const engine = createSessionEngine({ secretKey, schema, onInvalid: (e) => invalid.push(e), ...extra })
      return { engine, invalid }
    }

    it('lets valid data through, untouched', () => {
      const { engine, invalid } = engineWith()
      const session = engine.open(cookieWith({ user: 'ada', visits: 2, extra: true }))
      assert.equal(session.session.get('user'), 'ada')
      assert.equal(session.session.get('extra'), true, 'validation checks, it does not strip keys')
      assert.deepEqual(invalid, [])
    })

    it('turns data that fails into an empty session and calls onInvalid', () => {
      const { engine, invalid } = engineWith()
      const session = engine.open(cookieWith({ user: 42 }))
      assert.equal(session.session.isEmpty, true)
      assert.equal(session.session.isNew, true)
      assert.equal(invalid.length, 1)
      assert.ok(invalid[0] instanceof InvalidSessionData)
      assert.ok((invalid[0] as InvalidSessionData).issues.length > 0)
      const { setCookie } = session.commit() as { setCookie: string | undefined }
      assert.equal(setCookie, undefined, 'an invalid cookie is not deleted or rewritten by a read')
    })
  })
}

describe('schema option: configuration', () => {
  it('rejects something that is not a Standard Schema at setup', () => {
    assert.throws(
      () => createSessionEngine({ secretKey, schema: {} as unknown as SessionOptions['schema'] & object }),
      (error) => error instanceof ConfigError && /Standard Schema/.test(error.message),
    )
  })

  it('throws ConfigError for a schema that validates asynchronously', () => {
    const schema = z.object({ user: z.string() }).refine(async () => true)
    const engine = createSessionEngine({ secretKey, schema })
    const session = engine.open(cookieWith({ user: 'ada' }))
    assert.throws(
      () => session.session.get('user'),
      (error) => error instanceof ConfigError && /synchronously/.test(error.message),
    )
  })
})
