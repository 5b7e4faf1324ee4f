/**
 * The suite's app on Elysia, served by Elysia's own `listen` under Bun. Started by
 * test/adapter-suite/apps/elysia.ts with the app's setup as JSON in TESSERA_SETUP; prints
 * `listening <port>` once ready. `/__clock`, `/__runtime`, `/__mint` and `/__errors` as in ./server.ts.
 */
import { Elysia } from 'elysia'
import { requireKey, sessions } from '../../../src/adapters/elysia.ts'
import { type AppSetup, act, buildEngine, clock, lateBody, mintCookie, type SuiteData } from '../harness.ts'

declare const Bun: { version: string; env: Record<string, string | undefined> }

const setupJson = Bun.env.TESSERA_SETUP
if (setupJson === undefined) throw new Error('TESSERA_SETUP is not set')
const setup = JSON.parse(setupJson) as AppSetup

const logged: string[] = []
const printError = console.error
console.error = (...args: unknown[]) => {
  logged.push(args.map(String).join(' '))
  printError(...args)
}

const app = new Elysia()
  .get('/__runtime', () => new Response(`bun ${Bun.version}`))
  .get('/__errors', ({ query }) => {
    const answer = Response.json(logged)
    if ('clear' in query) logged.length = 0
    return answer
  })
  .get(
    '/__mint',
    async ({ query }) =>
      new Response(await mintCookie(setup.mode, setup.secretKey, JSON.parse(query.data ?? '{}'))),
  )
  .get('/__clock', ({ query }) => {
    clock.ms = Number(query.ms)
    return new Response('ok')
  })
  .use(sessions<SuiteData>(buildEngine(setup)))
  .get('/act/:name', async ({ params, session, request }) =>
    Response.json(await act(params.name, session, new URL(request.url).searchParams)),
  )
  .get('/late', async ({ session }) => {
    await session.load()
    return new Response(lateBody(session))
  })
  .get('/headers', async ({ session, set }) => {
    await session.load()
    session.set('value', 'h')
    set.headers.vary = 'Accept-Encoding'
    set.headers['cache-control'] = 'max-age=0, private'
    set.headers['set-cookie'] = 'other=1; Path=/'
    return 'ok'
  })
  .get('/redirect', async ({ session, redirect }) => {
    await session.load()
    session.set('value', 'r')
    return redirect('/act/read', 302)
  })
  .get('/guarded', ({ session }) => ({ value: session.get('value') }), {
    beforeHandle: requireKey<SuiteData>('value'),
  })
  // Quiet error answer, so the suite's log stays readable.
  .onError(({ code }) =>
    code === 'UNKNOWN' ? Response.json({ detail: 'Internal Server Error' }, { status: 500 }) : undefined,
  )
  .listen({ hostname: '127.0.0.1', port: 0 })

console.log(`listening ${app.server?.port}`)
