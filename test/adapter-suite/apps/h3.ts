import { createServer } from 'node:http'
import {
  appendResponseHeader,
  createApp,
  createRouter,
  defineEventHandler,
  getRouterParam,
  send,
  sendRedirect,
  setResponseHeader,
  setResponseStatus,
  toNodeListener,
} from 'h3'
import { requireKey, sessionErrors, sessions } from 'tessera-session/h3'
import { act, lateWrite, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

export const h3App = inProcess(async (engine) => {
  const app = createApp({
    onError: sessionErrors({
      // Quiet error answer, so the suite's log stays readable.
      next: async (error, event) => {
        setResponseStatus(event, error.statusCode)
        await send(event, JSON.stringify({ detail: error.statusMessage ?? 'error' }), 'application/json')
      },
    }),
  })
  app.use(sessions(engine))
  const router = createRouter()
  router.get(
    '/act/:name',
    defineEventHandler(async (event) =>
      act(
        getRouterParam(event, 'name') ?? '',
        suiteSession(event.context.session),
        new URL(event.node.req.url ?? '/', 'http://x').searchParams,
      ),
    ),
  )
  router.get(
    '/late',
    defineEventHandler(async (event) => {
      await suiteSession(event.context.session).load()
      const res = event.node.res
      res.write('first;')
      // The headers are gone: this change cannot reach the client.
      lateWrite(suiteSession(event.context.session))
      res.end('second')
    }),
  )
  router.get(
    '/headers',
    defineEventHandler(async (event) => {
      await suiteSession(event.context.session).load()
      setResponseHeader(event, 'vary', 'Accept-Encoding')
      setResponseHeader(event, 'cache-control', 'max-age=0, private')
      appendResponseHeader(event, 'set-cookie', 'other=1; Path=/')
      suiteSession(event.context.session).set('value', 'h')
      return 'ok'
    }),
  )
  router.get(
    '/redirect',
    defineEventHandler(async (event) => {
      await suiteSession(event.context.session).load()
      suiteSession(event.context.session).set('value', 'r')
      return sendRedirect(event, '/act/read', 302)
    }),
  )
  router.get(
    '/guarded',
    defineEventHandler({
      onRequest: [requireKey(VALUE_KEY)],
      handler: (event) => ({ value: suiteSession(event.context.session).get('value') }),
    }),
  )
  app.use(router)
  return listen(createServer(toNodeListener(app)))
})
