/** The benchmark endpoints on Express, over whichever session library the caller installs. */
import express, { type Request, type RequestHandler, type Response } from 'express'
import { LARGE_SESSION, nextCount, SMALL_SESSION } from './common.ts'

/** A session as the endpoints use it: a bag of values, saved by `save` when the library needs it. */
export interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
  save?(): Promise<void>
}

/** How the endpoints reach the request's session; `undefined` for the bare app. */
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

/** The app: `middleware` first, then the endpoints of bench/apps/common.ts. */
export function build(sessions: Sessions, middleware: RequestHandler[]) {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  for (const m of middleware) app.use(m)
  const fill = async (req: Request, res: Response, data: Record<string, unknown>) => {
    if (!sessions) return void res.send('ok')
    const bag = await sessions(req, res)
    for (const [k, v] of Object.entries(data)) bag.set(k, v)
    await bag.save?.()
    res.send('ok')
  }
  app.get('/setup', (req, res) => fill(req, res, SMALL_SESSION))
  app.get('/setup-large', (req, res) => fill(req, res, LARGE_SESSION))
  app.get('/new', (req, res) => fill(req, res, { user: 'alice' }))
  const read: RequestHandler = async (req, res) => {
    res.send(String(sessions ? (await sessions(req, res)).get('user') : 'alice'))
  }
  app.get('/read', read)
  app.get('/large', read)
  app.get('/write', async (req, res) => {
    if (!sessions) return void res.send('1')
    const bag = await sessions(req, res)
    const count = nextCount(bag.get('count'))
    bag.set('count', count)
    await bag.save?.()
    res.send(String(count))
  })
  app.get('/untouched', (_req, res) => void res.send('ok'))
  return app
}
