/** h3 1.x: bare, tessera's h3 middleware, and the references of ./common.ts. */
import { createServer } from 'node:http'
import {
  createApp,
  createRouter,
  defineEventHandler,
  type H3Event,
  setResponseHeader,
  toNodeListener,
} from 'h3'
import { sessions } from 'tessera-session/h3'
import { ENDPOINTS, forVariant, handlerOf, listening, OPTIONS, PORT, tesseraSession } from './common.ts'

const app = createApp()
// h3 middleware: a handler that returns nothing passes the request on.
forVariant<unknown>('h3', {
  bare: () => app,
  tessera: () => app.use(sessions(OPTIONS)),
  noop: () => app.use(defineEventHandler(async () => {})),
  vary: () =>
    app.use(
      defineEventHandler(async (event) => {
        setResponseHeader(event, 'vary', 'Cookie')
      }),
    ),
})
const session = tesseraSession((event: H3Event) => event.context.session)
const router = createRouter()
for (const endpoint of ENDPOINTS) {
  const handle = handlerOf(endpoint, session)
  router.get(
    endpoint.path,
    defineEventHandler((event) => handle(event)),
  )
}
app.use(router)

createServer(toNodeListener(app)).listen(PORT, '127.0.0.1', () => listening('h3'))
