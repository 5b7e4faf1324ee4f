import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import { ConfigError } from '../errors.ts'
import { sessions } from './fastify.ts'

const secretKey = 'fastify-adapter-secret-0123456789abcdef'

describe('Fastify plugin options', () => {
  it("accepts Fastify's own register options beside tessera's", async () => {
    const app = Fastify()
    await app.register(sessions, { secretKey, prefix: '/api', logLevel: 'warn' } as never)
    app.get('/', async (request) => {
      request.session.set('visits', 1)
      return 'ok'
    })
    const answer = await app.inject('/')
    assert.match(String(answer.headers['set-cookie']), /^session=/)
    await app.close()
  })

  it('still refuses an option that is neither', async () => {
    const app = Fastify()
    await assert.rejects(
      async () => app.register(sessions, { secretKey, secure: true } as never),
      ConfigError,
    )
  })
})
