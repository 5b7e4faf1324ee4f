/**
 * NestJS 11 on its Express and Fastify platforms: bare, tessera's `SessionModule`, and each platform's
 * own session library (express-session, @fastify/secure-session). Decorators are applied as functions:
 * tsx gives bench/apps no decorator settings.
 */
import 'reflect-metadata'
import fastifySecureSession from '@fastify/secure-session'
import { Controller, Get, Module, Req } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import expressSession from 'express-session'
import { SessionModule } from 'tessera-session/nest'
import {
  LARGE_SESSION,
  listening,
  MAX_AGE,
  nextCount,
  PORT,
  SECRET,
  SMALL_SESSION,
  unknownVariant,
  VARIANT,
} from './common.ts'

interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}
type WithSession = { session?: Bag & Record<string, unknown> }

/** `get`/`set` on whichever session the request carries (tessera's and secure-session's have them). */
function bagOf(req: WithSession): Bag | undefined {
  const session = req.session
  if (session === undefined || session === null) return undefined
  if (typeof session.get === 'function') return session
  // express-session: a plain object.
  return {
    get: (k) => session[k],
    set: (k, v) => {
      session[k] = v
    },
  }
}

function fill(req: WithSession, data: Record<string, unknown>): string {
  const bag = bagOf(req)
  if (bag) for (const [k, v] of Object.entries(data)) bag.set(k, v)
  return 'ok'
}

class BenchController {
  setup(req: WithSession) {
    return fill(req, SMALL_SESSION)
  }
  setupLarge(req: WithSession) {
    return fill(req, LARGE_SESSION)
  }
  new(req: WithSession) {
    return fill(req, { user: 'alice' })
  }
  read(req: WithSession) {
    return String(bagOf(req)?.get('user') ?? 'alice')
  }
  large(req: WithSession) {
    return String(bagOf(req)?.get('user') ?? 'alice')
  }
  write(req: WithSession) {
    const bag = bagOf(req)
    if (!bag) return '1'
    const count = nextCount(bag.get('count'))
    bag.set('count', count)
    return String(count)
  }
  untouched() {
    return 'ok'
  }
}
Controller()(BenchController)
const paths: Record<string, string> = {
  setup: 'setup',
  setupLarge: 'setup-large',
  new: 'new',
  read: 'read',
  large: 'large',
  write: 'write',
  untouched: 'untouched',
}
for (const [method, path] of Object.entries(paths)) {
  const descriptor = Object.getOwnPropertyDescriptor(BenchController.prototype, method) as PropertyDescriptor
  Get(path)(BenchController.prototype, method, descriptor)
  if (method !== 'untouched') Req()(BenchController.prototype, method, 0)
}

const [platform, library] = VARIANT.split('-', 2) as [string, string | undefined]
const imports = library === 'tessera' ? [SessionModule.forRoot({ secretKey: SECRET, maxAge: MAX_AGE })] : []
class BenchModule {}
Module({ imports, controllers: [BenchController] })(BenchModule)

async function createApp() {
  if (platform === 'express') {
    const app = await NestFactory.create(BenchModule, { logger: false })
    if (library === 'session')
      app.use(
        expressSession({
          secret: SECRET,
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: MAX_AGE * 1000 },
        }),
      )
    else if (library !== 'bare' && library !== 'tessera') unknownVariant('nest')
    return app
  }
  if (platform !== 'fastify') return unknownVariant('nest')
  const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
  if (library === 'secure')
    await app.register(fastifySecureSession as never, {
      secret: SECRET,
      salt: 'mq9hDxBVDbspDR6n',
      cookieName: 'session',
      cookie: { path: '/', httpOnly: true, maxAge: MAX_AGE },
    })
  else if (library !== 'bare' && library !== 'tessera') unknownVariant('nest')
  return app
}

const app = await createApp()
await app.listen(PORT, '127.0.0.1')
listening('nest')
