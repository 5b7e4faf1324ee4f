/**
 * tessera on Fastify 5. Run: npx tsx --conditions=tessera-session-source examples/fastify/app.ts
 * Then: curl -c jar -b jar '127.0.0.1:8000/login?user=ada' ; curl -b jar 127.0.0.1:8000/me
 */
import Fastify from 'fastify'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, sessions } from 'tessera-session/fastify'
import { address, exampleOptions, isMain } from '../shared/session.ts'

export async function createApp(options: SessionOptions) {
  const app = Fastify()
  await app.register(sessions, options)

  app.get<{ Querystring: { user?: string } }>('/login', async (request) => {
    await login(request.session, { user: request.query.user ?? 'anonymous' })
    return { ok: true }
  })
  app.get('/logout', async (request) => {
    await logout(request.session)
    return { ok: true }
  })
  // Depends(require_user) as a preHandler: a 401 before the handler when nobody is signed in.
  app.get('/me', { preHandler: requireKey('user') }, async (request) => ({
    user: request.session.get('user'), // typed: string | undefined
  }))
  app.get('/visits', async (request) => {
    const visits = (request.session.get('visits') ?? 0) + 1
    request.session.set('visits', visits)
    return { visits }
  })
  return app
}

if (isMain(import.meta.url)) {
  const app = await createApp(exampleOptions())
  await app.listen({ host: address.host, port: address.port })
  console.log(`fastify example on http://${address.host}:${address.port}`)
}
