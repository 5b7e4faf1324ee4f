/**
 * Elysia 1.x under Bun: bare, tessera's Elysia plugin, and the references of ./common.ts as global
 * `onAfterHandle` hooks (where tessera's plugin commits). Run by the bench with the `bun` package's binary.
 */
import { Elysia } from 'elysia'
import { sessions } from 'tessera-session/elysia'
import { ENDPOINTS, forVariant, handlerOf, listening, OPTIONS, PORT, tesseraSession } from './common.ts'

const app = new Elysia()
forVariant<unknown>('elysia', {
  bare: () => app,
  tessera: () => app.use(sessions(OPTIONS)),
  noop: () => app.onAfterHandle({ as: 'global' }, async () => {}),
  vary: () =>
    app.onAfterHandle({ as: 'global' }, async ({ set }) => {
      set.headers.vary = 'Cookie'
    }),
})
const session = tesseraSession((c: object) => (c as { session?: unknown }).session)
for (const endpoint of ENDPOINTS) {
  const handle = handlerOf(endpoint, session)
  app.get(endpoint.path, (c) => handle(c))
}
app.listen({ hostname: '127.0.0.1', port: PORT })
listening('elysia')
