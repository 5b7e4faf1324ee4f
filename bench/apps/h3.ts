/** h3 1.x: bare, and tessera's h3 middleware. */
import { createServer } from 'node:http'
import { createApp, createRouter, defineEventHandler, type H3Event, toNodeListener } from 'h3'
import { sessions } from 'tessera-session/h3'
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

const app = createApp()
if (VARIANT === 'tessera') app.use(sessions({ secretKey: SECRET, maxAge: MAX_AGE }))
else if (VARIANT !== 'bare') unknownVariant('h3')
const bagOf = (event: H3Event) => event.context.session as unknown as Bag | undefined

const fill = (event: H3Event, data: Record<string, unknown>) => {
  const bag = bagOf(event)
  if (bag) for (const [k, v] of Object.entries(data)) bag.set(k, v)
  return 'ok'
}
const router = createRouter()
router.get(
  '/setup',
  defineEventHandler((event) => fill(event, SMALL_SESSION)),
)
router.get(
  '/setup-large',
  defineEventHandler((event) => fill(event, LARGE_SESSION)),
)
router.get(
  '/new',
  defineEventHandler((event) => fill(event, { user: 'alice' })),
)
router.get(
  '/read',
  defineEventHandler((event) => String(bagOf(event)?.get('user') ?? 'alice')),
)
router.get(
  '/large',
  defineEventHandler((event) => String(bagOf(event)?.get('user') ?? 'alice')),
)
router.get(
  '/write',
  defineEventHandler((event) => {
    const bag = bagOf(event)
    if (!bag) return '1'
    const count = nextCount(bag.get('count'))
    bag.set('count', count)
    return String(count)
  }),
)
router.get(
  '/untouched',
  defineEventHandler(() => 'ok'),
)
app.use(router)

createServer(toNodeListener(app)).listen(PORT, '127.0.0.1', () => listening('h3'))
