import Fastify from 'fastify'
import { requireKey, sessions } from 'tessera-session/fastify'
import { act, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess } from '../in-process.ts'
import { lateReadable } from './late-readable.ts'

export const fastifyApp = inProcess(async (engine) => {
  const app = Fastify()
  await app.register(sessions, engine)
  app.get<{ Params: { name: string } }>('/act/:name', async (request) =>
    act(request.params.name, suiteSession(request.session), new URL(request.url, 'http://x').searchParams),
  )
  app.get('/late', async (request, reply) => {
    await suiteSession(request.session).load()
    return reply.type('text/plain').send(lateReadable(suiteSession(request.session)))
  })
  app.get('/headers', async (request, reply) => {
    await suiteSession(request.session).load()
    reply.header('vary', 'Accept-Encoding')
    reply.header('cache-control', 'max-age=0, private')
    reply.header('set-cookie', 'other=1; Path=/')
    suiteSession(request.session).set('value', 'h')
    return 'ok'
  })
  app.get('/redirect', async (request, reply) => {
    await suiteSession(request.session).load()
    suiteSession(request.session).set('value', 'r')
    return reply.redirect('/act/read', 302)
  })
  app.get('/guarded', { preHandler: requireKey(VALUE_KEY) }, async (request) => ({
    value: suiteSession(request.session).get('value'),
  }))
  app.setErrorHandler((_error, _request, reply) => reply.code(500).send({ detail: 'Internal Server Error' }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
})
