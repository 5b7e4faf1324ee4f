/**
 * One small app per adapter for the CSRF and proxy tests: the same four routes on every framework,
 * with the adapter's `csrfProtection()` installed the way docs/frameworks.md shows.
 * - `GET /token`: the session's CSRF token, `{ token }`;
 * - `POST /change`: writes the session, answers `{ done: "changed" }`;
 * - `POST /login`: signs in (`login()`, which regenerates the session and so drops the token);
 * - `GET /set`: writes the session (for the Secure attribute under `httpsOnly: 'auto'`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import express5 from 'express'
import express4 from 'express4'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'
import { type CsrfOptions, csrfToken, login, type Session, type SessionOptions } from 'tessera-session'
import * as expressAdapter from 'tessera-session/express'
import * as fastifyAdapter from 'tessera-session/fastify'
import * as fetchAdapter from 'tessera-session/fetch'
import * as honoAdapter from 'tessera-session/hono'
import * as koaAdapter from 'tessera-session/koa'
import * as nodeAdapter from 'tessera-session/node'
import { type Listening, listen } from '../adapter-suite/in-process.ts'

export interface SecuritySetup {
  session: SessionOptions
  csrf?: CsrfOptions
}

type AnySession = Session<Record<string, unknown>>

/** What every app answers, given the session (loaded) and the route. */
async function route(method: string, path: string, session: AnySession): Promise<unknown> {
  if (!session.isLoaded) await session.load()
  if (method === 'GET' && path === '/token') return { token: csrfToken(session) }
  if (method === 'GET' && path === '/set') {
    session.set('value', 'x')
    return { done: 'set' }
  }
  if (method === 'POST' && path === '/change') {
    session.set('value', 'changed')
    return { done: 'changed' }
  }
  if (method === 'POST' && path === '/login') {
    await login(session, { user: 'ada' })
    return { done: 'signed in' }
  }
  return undefined
}

const ROUTES: [string, string][] = [
  ['GET', '/token'],
  ['GET', '/set'],
  ['POST', '/change'],
  ['POST', '/login'],
]

export type SecurityApp = (setup: SecuritySetup) => Promise<Listening>

function expressApp(express: typeof express5): SecurityApp {
  return async ({ session, csrf }) => {
    const app = express()
    app.use(expressAdapter.sessions(session), express.urlencoded({ extended: false }))
    app.use(expressAdapter.csrfProtection(csrf))
    for (const [method, path] of ROUTES) {
      const register = method === 'GET' ? app.get.bind(app) : app.post.bind(app)
      register(path, (req, res, next) => {
        route(method, path, req.session as unknown as AnySession).then((body) => res.json(body), next)
      })
    }
    return listen(createServer(app))
  }
}

const fastifyApp: SecurityApp = async ({ session, csrf }) => {
  const app = Fastify()
  await app.register(fastifyAdapter.sessions, session)
  // A url-encoded form parser, as @fastify/formbody adds: preHandler hooks see the parsed body.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  )
  app.addHook('preHandler', fastifyAdapter.csrfProtection(csrf))
  for (const [method, path] of ROUTES) {
    app.route({
      method: method as 'GET' | 'POST',
      url: path,
      handler: async (request) => route(method, path, request.session as unknown as AnySession),
    })
  }
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}

/** A url-encoded body parser for Koa, in the place @koa/bodyparser takes. */
async function readForm(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return undefined
  let text = ''
  for await (const chunk of req) text += chunk
  return Object.fromEntries(new URLSearchParams(text))
}

const koaApp: SecurityApp = async ({ session, csrf }) => {
  const app = new Koa()
  app.silent = true
  app.use(koaAdapter.sessions(session))
  app.use(async (ctx, next) => {
    ;(ctx.request as { body?: unknown }).body = await readForm(ctx.req)
    return next()
  })
  app.use(koaAdapter.csrfProtection(csrf))
  app.use(async (ctx) => {
    const body = await route(ctx.method, ctx.path, ctx.session as unknown as AnySession)
    if (body !== undefined) ctx.body = body
  })
  return listen(createServer(app.callback()))
}

const honoApp: SecurityApp = async ({ session, csrf }) => {
  const app = new Hono<honoAdapter.SessionEnv>()
  app.use(honoAdapter.sessions(session))
  app.use(honoAdapter.csrfProtection(csrf))
  for (const [method, path] of ROUTES) {
    app.on(method, path, async (c) => c.json(await route(method, path, c.var.session as AnySession)))
  }
  return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
}

const nodeApp: SecurityApp = async ({ session, csrf }) => {
  const check = nodeAdapter.csrfProtection(csrf)
  return listen(
    createServer(
      nodeAdapter.withSession(session, async (req, res, s) => {
        if (!(await check(req, res, s, await readForm(req)))) return
        const body = await route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, s)
        res.statusCode = body === undefined ? 404 : 200
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(body ?? null))
      }),
    ),
  )
}

const fetchApp: SecurityApp = async ({ session, csrf }) => {
  const check = fetchAdapter.csrfProtection(csrf)
  const handler = fetchAdapter.withSession(session, async (request, s) => {
    const refused = await check(request, s)
    if (refused) return refused
    const body = await route(request.method, new URL(request.url).pathname, s)
    return Response.json(body ?? null, { status: body === undefined ? 404 : 200 })
  })
  return listen(createAdaptorServer({ fetch: handler }) as Server)
}

/** Every adapter, by name. */
export const securityApps: [string, SecurityApp][] = [
  ['express 5', expressApp(express5)],
  ['express 4', expressApp(express4 as unknown as typeof express5)],
  ['fastify 5', fastifyApp],
  ['koa 3', koaApp],
  ['hono', honoApp],
  ['node withSession', nodeApp],
  ['fetch on node', fetchApp],
]
