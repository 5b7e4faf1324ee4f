/** Fastify 5: bare, @fastify/secure-session, @fastify/session (memory store). */
import fastifyCookie from '@fastify/cookie'
import fastifySecureSession from '@fastify/secure-session'
import fastifySession from '@fastify/session'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
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

/** The two calls the endpoints make; both plugins offer `get`/`set` on `request.session`. */
interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

type Sessions = ((req: FastifyRequest) => Bag) | undefined

function routes(app: FastifyInstance, sessions: Sessions): void {
  const fill = (req: FastifyRequest, data: Record<string, unknown>) => {
    if (sessions) for (const [k, v] of Object.entries(data)) sessions(req).set(k, v)
    return 'ok'
  }
  app.get('/setup', async (req) => fill(req, SMALL_SESSION))
  app.get('/setup-large', async (req) => fill(req, LARGE_SESSION))
  app.get('/new', async (req) => fill(req, { user: 'alice' }))
  app.get('/read', async (req) => String(sessions ? sessions(req).get('user') : 'alice'))
  app.get('/large', async (req) => String(sessions ? sessions(req).get('user') : 'alice'))
  app.get('/write', async (req) => {
    if (!sessions) return '1'
    const count = nextCount(sessions(req).get('count'))
    sessions(req).set('count', count)
    return String(count)
  })
  app.get('/untouched', async () => 'ok')
}

const bag: Sessions = (req) => (req as unknown as { session: Bag }).session

async function createApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  switch (VARIANT) {
    case 'bare':
      routes(app, undefined)
      break
    case 'secure-session':
      await app.register(fastifySecureSession, {
        secret: SECRET,
        salt: 'mq9hDxBVDbspDR6n',
        cookieName: 'session',
        cookie: { path: '/', httpOnly: true, maxAge: MAX_AGE },
      })
      routes(app, bag)
      break
    case 'session':
      await app.register(fastifyCookie)
      await app.register(fastifySession, {
        secret: SECRET,
        saveUninitialized: false,
        cookie: { secure: false, maxAge: MAX_AGE * 1000 },
      })
      routes(app, bag)
      break
    default:
      unknownVariant('fastify')
  }
  return app
}

const app = await createApp()
await app.listen({ port: PORT, host: '127.0.0.1' })
listening('fastify')
