/**
 * Fastify 5: bare, tessera's Fastify plugin (Starlette's format, or sealed beside
 * @fastify/secure-session), and the references of ./common.ts.
 */
import Fastify from 'fastify'
import { cached, sealed } from 'tessera-session'
import { sessions } from 'tessera-session/fastify'
import { listening, OPTIONS, PORT, unknownVariant, VARIANT } from './common.ts'
import { reference, requestSession, routes } from './fastify-routes.ts'

const app = Fastify({ logger: false })
switch (VARIANT) {
  case 'bare':
    routes(app, undefined)
    break
  case 'noop':
  case 'vary':
    reference(app, VARIANT)
    routes(app, undefined)
    break
  case 'tessera':
    await app.register(sessions, OPTIONS)
    routes(app, requestSession)
    break
  case 'tessera-sealed':
    await app.register(sessions, { ...OPTIONS, format: cached(sealed()) })
    routes(app, requestSession)
    break
  default:
    unknownVariant('fastify')
}
await app.listen({ port: PORT, host: '127.0.0.1' })
listening('fastify')
