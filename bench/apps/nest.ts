/**
 * NestJS 11 on its Express and Fastify platforms: bare, tessera's `SessionModule`, and the references
 * of ./common.ts. Variants are `<platform>-<library>`. The platforms' own session libraries are in
 * ./nest-peers.ts (their request typings clash with tessera's).
 */
import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import type { FastifyInstance } from 'fastify'
import { SessionModule } from 'tessera-session/nest'
import { listening, OPTIONS, PORT, unknownVariant, VARIANT } from './common.ts'
import { REFERENCES } from './express-routes.ts'
import { reference } from './fastify-routes.ts'
import { benchModule, requestSession } from './nest-routes.ts'

const [platform, library] = VARIANT.split('-', 2) as [string, string | undefined]
const module =
  library === 'tessera'
    ? benchModule(requestSession, [SessionModule.forRoot(OPTIONS)])
    : benchModule(undefined)
if (library !== 'bare' && library !== 'tessera' && library !== 'noop' && library !== 'vary')
  unknownVariant('nest')

async function createApp() {
  if (platform === 'express') {
    const app = await NestFactory.create(module, { logger: false })
    if (library === 'noop' || library === 'vary') app.use(REFERENCES[library])
    return app
  }
  if (platform !== 'fastify') return unknownVariant('nest')
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: false,
  })
  // An onRequest hook on the Fastify instance, where the module registers tessera's plugin.
  if (library === 'noop' || library === 'vary')
    reference(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, library)
  return app
}

const app = await createApp()
await app.listen(PORT, '127.0.0.1')
listening('nest')
