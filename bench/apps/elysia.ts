/**
 * Elysia 1.x under Bun: bare, tessera's Elysia plugin, and the references of ./common.ts as global
 * `onAfterHandle` hooks (where tessera's plugin commits). Run by the bench with the `bun` package's binary.
 */
import { Elysia } from 'elysia'
import { sessions } from 'tessera-session/elysia'
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

const app = new Elysia()
switch (VARIANT) {
  case 'bare':
    break
  case 'tessera':
    app.use(sessions(OPTIONS))
    break
  case 'noop':
    app.onAfterHandle({ as: 'global' }, async () => {})
    break
  case 'vary':
    app.onAfterHandle({ as: 'global' }, async ({ set }) => {
      set.headers.vary = 'Cookie'
    })
    break
  default:
    unknownVariant('elysia')
}
const session = VARIANT === 'tessera' ? (c: unknown) => (c as { session: Bag }).session : undefined
for (const endpoint of ENDPOINTS) {
  const handle = handlerOf(endpoint, session)
  app.get(endpoint.path, (c) => handle(c))
}
app.listen({ hostname: '127.0.0.1', port: PORT })
listening('elysia')
