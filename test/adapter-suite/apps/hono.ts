import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { requireKey, type SessionEnv, sessions } from 'tessera-session/hono'
import { act, lateWrite, type SuiteData } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

export const honoApp = inProcess(async (engine) => {
  const app = new Hono<SessionEnv<SuiteData>>()
  app.use(sessions(engine))
  app.get('/act/:name', async (c) =>
    c.json(await act(c.req.param('name'), c.var.session, new URL(c.req.url).searchParams)),
  )
  app.get('/late', async (c) => {
    await c.var.session.load()
    return stream(c, async (s) => {
      await s.write('first;')
      lateWrite(c.var.session)
      await s.write('second')
    })
  })
  app.get('/headers', async (c) => {
    await c.var.session.load()
    c.header('Vary', 'Accept-Encoding')
    c.header('Cache-Control', 'max-age=0, private')
    c.header('Set-Cookie', 'other=1; Path=/', { append: true })
    c.var.session.set('value', 'h')
    return c.json('ok')
  })
  app.get('/redirect', async (c) => {
    await c.var.session.load()
    c.var.session.set('value', 'r')
    return c.redirect('/act/read', 302)
  })
  app.get('/guarded', requireKey<SuiteData>('value'), (c) => c.json({ value: c.var.session.get('value') }))
  app.onError((_error, c) => c.json({ detail: 'Internal Server Error' }, 500))
  return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
})
