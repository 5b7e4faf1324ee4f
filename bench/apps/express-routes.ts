/** The benchmark endpoints on Express, over whichever session library the caller installs. */
import express, { type Request, type RequestHandler, type Response } from 'express'
import { asyncHandlerOf, type Bag, ENDPOINTS } from './common.ts'

export type { Bag } from './common.ts'

/** How the endpoints reach the request's session; `undefined` for the apps without one. */
export type Sessions = ((req: Request, res: Response) => Bag | Promise<Bag>) | undefined

/** Libraries that hang a plain object on `req.session` and save it themselves. */
export const plainSession: Sessions = (req) => {
  const data = (req as unknown as { session: Record<string, unknown> }).session
  return {
    get: (k) => data[k],
    set: (k, v) => {
      data[k] = v
    },
  }
}

/** The two references of ./common.ts as Express middleware. */
export const REFERENCES: Record<'noop' | 'vary', RequestHandler> = {
  noop: async (_req, _res, next) => next(),
  vary: async (_req, res, next) => {
    res.setHeader('Vary', 'Cookie')
    next()
  },
}

/** The app: `middleware` first, then the endpoints of ./endpoints.ts. */
export function build(sessions: Sessions, middleware: RequestHandler[]) {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  for (const m of middleware) app.use(m)
  for (const endpoint of ENDPOINTS) {
    const handle = asyncHandlerOf(endpoint, sessions)
    app.get(endpoint.path, (req, res, next) => {
      const body = handle(req, res)
      if (typeof body === 'string') res.send(body)
      else body.then((b) => res.send(b), next)
    })
  }
  return app
}
