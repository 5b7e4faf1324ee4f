/**
 * Express 5: bare, tessera (through its node:http adapter until the Express adapter lands),
 * express-session (memory store, and Redis through connect-redis), cookie-session, iron-session.
 */
import { RedisStore } from 'connect-redis'
import cookieSession from 'cookie-session'
import express, { type Request, type RequestHandler, type Response } from 'express'
import expressSession from 'express-session'
import { getIronSession } from 'iron-session'
import { createClient } from 'redis'
import { nodeSessions } from 'tessera/node'
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

/** A session as the endpoints use it: a bag of values, saved by `save` when the library needs it. */
interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
  save?(): Promise<void>
}

type Sessions = (req: Request, res: Response) => Bag | Promise<Bag>

/** Libraries that hang a plain object on `req.session` and save it themselves. */
const reqSession: Sessions = (req) => {
  const data = (req as unknown as { session: Record<string, unknown> }).session
  return {
    get: (k) => data[k],
    set: (k, v) => {
      data[k] = v
    },
  }
}

function build(sessions: Sessions | undefined, middleware: RequestHandler[]) {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  for (const m of middleware) app.use(m)
  const fill = async (req: Request, res: Response, data: Record<string, unknown>) => {
    if (!sessions) return res.send('ok')
    const bag = await sessions(req, res)
    for (const [k, v] of Object.entries(data)) bag.set(k, v)
    await bag.save?.()
    res.send('ok')
  }
  app.get('/setup', (req, res) => fill(req, res, SMALL_SESSION))
  app.get('/setup-large', (req, res) => fill(req, res, LARGE_SESSION))
  app.get('/new', (req, res) => fill(req, res, { user: 'alice' }))
  const read: RequestHandler = async (req, res) => {
    res.send(String(sessions ? (await sessions(req, res)).get('user') : 'alice'))
  }
  app.get('/read', read)
  app.get('/large', read)
  app.get('/write', async (req, res) => {
    if (!sessions) return void res.send('1')
    const bag = await sessions(req, res)
    const count = nextCount(bag.get('count'))
    bag.set('count', count)
    await bag.save?.()
    res.send(String(count))
  })
  app.get('/untouched', (_req, res) => void res.send('ok'))
  return app
}

async function createApp() {
  switch (VARIANT) {
    case 'bare':
      return build(undefined, [])
    case 'tessera': {
      const session = nodeSessions({ secretKey: SECRET, maxAge: MAX_AGE })
      return build((req, res) => {
        const s = session(req, res)
        return { get: (k) => s.get(k), set: (k, v) => void s.set(k, v) }
      }, [])
    }
    case 'express-session':
      return build(reqSession, [
        expressSession({
          secret: SECRET,
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: MAX_AGE * 1000 },
        }),
      ])
    case 'express-session-redis': {
      const client = createClient({ url: 'redis://127.0.0.1:6379' })
      await client.connect()
      return build(reqSession, [
        expressSession({
          store: new RedisStore({ client, prefix: `bench-${PORT}:` }),
          secret: SECRET,
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: MAX_AGE * 1000 },
        }),
      ])
    }
    case 'cookie-session':
      return build(reqSession, [cookieSession({ name: 'session', keys: [SECRET], maxAge: MAX_AGE * 1000 })])
    case 'iron-session':
      return build(async (req, res) => {
        const s = await getIronSession<Record<string, unknown>>(req, res, {
          password: SECRET,
          cookieName: 'session',
          ttl: MAX_AGE,
          cookieOptions: { secure: false },
        })
        return {
          get: (k) => s[k],
          set: (k, v) => {
            s[k] = v
          },
          save: () => s.save(),
        }
      }, [])
    default:
      return unknownVariant('express')
  }
}

const app = await createApp()
app.listen(PORT, '127.0.0.1', () => listening('express'))
