import { createServer } from 'node:http'
import Koa from 'koa'
import { requireKey, sessions } from 'tessera-session/koa'
import { act, actionOf, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'
import { lateReadable } from './late-readable.ts'

export const koaApp = inProcess(async (engine) => {
  const app = new Koa()
  app.silent = true // the suite's deliberate failures need no stack traces
  app.use(sessions(engine))
  const guard = requireKey(VALUE_KEY)
  app.use(async (ctx, next) => {
    const action = actionOf(ctx.path)
    if (action !== undefined) {
      ctx.body = JSON.stringify(
        await act(action, suiteSession(ctx.session), new URLSearchParams(ctx.querystring)),
      )
      ctx.type = 'application/json'
      return
    }
    if (ctx.path === '/late') {
      await suiteSession(ctx.session).load()
      ctx.body = lateReadable(suiteSession(ctx.session))
      return
    }
    if (ctx.path === '/headers') {
      await suiteSession(ctx.session).load()
      ctx.vary('Accept-Encoding')
      ctx.set('Cache-Control', 'max-age=0, private')
      ctx.append('Set-Cookie', 'other=1; Path=/')
      suiteSession(ctx.session).set('value', 'h')
      ctx.body = 'ok'
      return
    }
    if (ctx.path === '/redirect') {
      await suiteSession(ctx.session).load()
      suiteSession(ctx.session).set('value', 'r')
      ctx.redirect('/act/read')
      return
    }
    if (ctx.path === '/guarded') {
      return guard(ctx, async () => {
        ctx.body = { value: suiteSession(ctx.session).get('value') }
      })
    }
    return next()
  })
  return listen(createServer(app.callback()))
})
