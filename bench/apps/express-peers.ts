/** Express 5 with the peers: express-session (memory store, and Redis through connect-redis), cookie-session, iron-session. */
import { RedisStore } from 'connect-redis'
import cookieSession from 'cookie-session'
import expressSession from 'express-session'
import { getIronSession } from 'iron-session'
import { createClient } from 'redis'
import { listening, MAX_AGE, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'
import { build, plainSession } from './express-routes.ts'

async function createApp() {
  switch (VARIANT) {
    case 'express-session':
      return build(plainSession, [
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
      return build(plainSession, [
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
      return build(plainSession, [cookieSession({ name: 'session', keys: [SECRET], maxAge: MAX_AGE * 1000 })])
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
      return unknownVariant('express-peers')
  }
}

const app = await createApp()
app.listen(PORT, '127.0.0.1', () => listening('express-peers'))
