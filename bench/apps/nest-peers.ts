/**
 * NestJS 11 with each platform's own session library, configured as their READMEs suggest:
 * express-session (memory store) on Express, @fastify/secure-session on Fastify.
 */
import 'reflect-metadata'
import fastifySecureSession from '@fastify/secure-session'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import expressSession from 'express-session'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { benchModule, plainSession, requestSession } from './nest-routes.ts'

async function createApp() {
  switch (VARIANT) {
    case 'express-session': {
      const app = await NestFactory.create(benchModule(plainSession), { logger: false })
      app.use(
        expressSession({
          secret: SECRET,
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: MAX_AGE * 1000 },
        }),
      )
      return app
    }
    case 'fastify-secure': {
      const app = await NestFactory.create<NestFastifyApplication>(
        benchModule(requestSession),
        new FastifyAdapter(),
        { logger: false },
      )
      await app.register(fastifySecureSession as never, {
        secret: SECRET,
        salt: 'mq9hDxBVDbspDR6n',
        cookieName: 'session',
        cookie: { path: '/', httpOnly: true, maxAge: MAX_AGE },
      })
      return app
    }
    default:
      return unknownVariant('nest-peers')
  }
}

const app = await createApp()
await app.listen(PORT, '127.0.0.1')
listening('nest-peers')
