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
import {
  type Bag,
  ENDPOINTS,
  handlerOf,
  listening,
  OPTIONS,
  PORT,
  unknownVariant,
  VARIANT,
} from './common.ts'

const app = createApp()
switch (VARIANT) {
  case 'bare':
    break
  case 'tessera':
    app.use(sessions(OPTIONS))
    break
  // h3 middleware: a handler that returns nothing passes the request on.
  case 'noop':
    app.use(defineEventHandler(async () => {}))
    break
  case 'vary':
    app.use(
      defineEventHandler(async (event) => {
        setResponseHeader(event, 'vary', 'Cookie')
      }),
    )
    break
  default:
    unknownVariant('h3')
}
const session =
  VARIANT === 'tessera' ? (event: H3Event) => event.context.session as unknown as Bag : undefined
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
