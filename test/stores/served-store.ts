/**
 * The setup of the store fault tests: a server of the test's own, a store on it, and the store app
 * on that store served over real HTTP, for the tests of one `describe`.
 */
import { after, before } from 'node:test'
import { createStoreEngine, type Store } from 'tessera-session/stores'
import { createStoreApp, serveApp } from '../support/app.ts'
import type { Server } from '../support/services.ts'

/** What the tests use: the server, to stop, freeze or crash it, and the app's URL. */
export interface ServedStore {
  readonly server: Server
  readonly url: string
}

/**
 * Starts `startServer()`, `makeStore` on it and the store app (its engine signing with `secretKey`,
 * waiting `timeout` ms for the store) from a `before` hook of the calling `describe`; closes the three,
 * app first, from an `after` hook. Read the fields in the tests, once `before` has run.
 */
export function serveStoreOn(
  startServer: () => Promise<Server>,
  makeStore: (url: string) => Promise<Store>,
  engine: { secretKey: string; timeout: number },
): ServedStore {
  let server: Server | undefined
  let store: Store | undefined
  let app: { url: string; close(): Promise<void> } | undefined
  before(async () => {
    server = await startServer()
    store = await makeStore(server.url)
    app = await serveApp(createStoreApp(createStoreEngine({ ...engine, store })))
  })
  after(async () => {
    await app?.close()
    await store?.close?.()
    await server?.close()
  })
  return {
    get server() {
      return started(server)
    },
    get url() {
      return started(app).url
    },
  }
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('read before the before hook started the server and the app')
  return value
}
