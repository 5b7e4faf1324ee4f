/**
 * `npm start`: the demo app on HOST:PORT (default 127.0.0.1:8000), secret from SECRET_KEY. The pages
 * are walked through in docs/demo.md.
 */
import { randomBytes } from 'node:crypto'
import { serve } from '@hono/node-server'
import { createDemoApp } from './app.ts'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 8000)
let secretKey = process.env.SECRET_KEY
if (!secretKey) {
  secretKey = randomBytes(32).toString('base64')
  console.warn(
    'tessera demo: SECRET_KEY is not set, so a random secret was generated for this run.\n' +
      '  Sessions will NOT survive a restart. Set SECRET_KEY (the same value as your FastAPI app to share sessions with it).',
  )
}

const app = createDemoApp({ secretKey })
serve({ fetch: app.fetch, hostname: host, port }, (info) => {
  console.log(`tessera demo listening on http://${host}:${info.port}`)
  console.log(
    `  open http://${host}:${info.port}/ for the pages (draft, preferences, catalogue, sign-in, session)`,
  )
  console.log('  the seed’s JSON endpoints: /create_session, /read_session, /delete_session')
})
