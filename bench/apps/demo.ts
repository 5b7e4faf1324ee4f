/**
 * The demo (`npm start`, examples/demo) as a user first measures it: `/read_session` after
 * `/create_session`. `bare` is the comparison of issue 13: a bare Hono app with the same
 * security-header middleware answering the same JSON, without sessions.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { createDemoApp, SECURE_HEADERS } from '../../examples/demo/app.ts'
import { demoConfig } from '../../examples/demo/config.ts'
import { listening, PORT, SECRET, unknownVariant, VARIANT } from './common.ts'

function createApp(): { fetch: (request: Request) => Response | Promise<Response> } {
  switch (VARIANT) {
    case 'tessera':
      // The options `npm start` builds from its environment.
      return createDemoApp(demoConfig({ SECRET_KEY: SECRET }).options)
    case 'bare': {
      const app = new Hono()
      app.use(secureHeaders(SECURE_HEADERS))
      app.get('/create_session', (c) => c.json('ok'))
      app.get('/read_session', (c) => c.json('1234'))
      return app
    }
    default:
      return unknownVariant('demo')
  }
}

serve({ fetch: createApp().fetch, hostname: '127.0.0.1', port: PORT }, () => listening('demo'))
