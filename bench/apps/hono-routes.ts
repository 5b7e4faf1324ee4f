/** The benchmark endpoints on Hono, over whichever session middleware the caller installs. */
import type { Context, Hono } from 'hono'
import { asyncHandlerOf, type Bag, ENDPOINTS } from './common.ts'

/** How the endpoints reach the request's session; `undefined` for the apps without one. */
export type Sessions = ((c: Context) => Bag | Promise<Bag>) | undefined

/** Adds the endpoints of ./endpoints.ts; a synchronous session answers without a promise. */
// biome-ignore lint/suspicious/noExplicitAny: any Hono env
export function routes(app: Hono<any>, session: Sessions): void {
  for (const endpoint of ENDPOINTS) {
    const handle = asyncHandlerOf(endpoint, session)
    app.get(endpoint.path, (c): Response | Promise<Response> => {
      const body = handle(c)
      return typeof body === 'string' ? c.text(body) : body.then((b) => c.text(b))
    })
  }
}
