/** Fastify 5 with the peers: @fastify/secure-session, @fastify/session (memory store). */
import fastifyCookie from '@fastify/cookie'
import fastifySecureSession from '@fastify/secure-session'
import fastifySession from '@fastify/session'
import Fastify from 'fastify'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { requestSession, routes } from './fastify-routes.ts'

const app = Fastify({ logger: false })
switch (VARIANT) {
  case 'secure-session':
    await app.register(fastifySecureSession, {
      secret: SECRET,
      salt: 'mq9hDxBVDbspDR6n',
      cookieName: 'session',
      cookie: { path: '/', httpOnly: true, maxAge: MAX_AGE },
    })
    break
  case 'session':
    await app.register(fastifyCookie)
    await app.register(fastifySession, {
      secret: SECRET,
      saveUninitialized: false,
      cookie: { secure: false, maxAge: MAX_AGE * 1000 },
    })
    break
  default:
    unknownVariant('fastify-peers')
}
routes(app, requestSession)
await app.listen({ port: PORT, host: '127.0.0.1' })
listening('fastify-peers')
