/** Every adapter against the conformance suite: one line each. */
import { elysiaApp } from './apps/elysia.ts'
import { express4App, express5App } from './apps/express.ts'
import { fastifyApp } from './apps/fastify.ts'
import { fetchNodeApp, fetchRuntimeApp } from './apps/fetch.ts'
import { h3App } from './apps/h3.ts'
import { honoApp } from './apps/hono.ts'
import { koaApp } from './apps/koa.ts'
import { nestExpressApp, nestFastifyApp } from './apps/nest.ts'
import { nextApp } from './apps/next.ts'
import { nodeSessionsApp, nodeWithSessionApp } from './apps/node.ts'
import { sveltekitApp } from './apps/sveltekit.ts'
import { adapterSuite } from './suite.ts'

adapterSuite('express 5', express5App)
adapterSuite('express 4', express4App)
adapterSuite('fastify 5', fastifyApp)
adapterSuite('koa 3', koaApp)
adapterSuite('hono', honoApp)
adapterSuite('h3', h3App)
adapterSuite('nest on express', nestExpressApp)
adapterSuite('nest on fastify', nestFastifyApp)
adapterSuite('sveltekit handle', sveltekitApp)
adapterSuite('node withSession', nodeWithSessionApp)
adapterSuite('node nodeSessions', nodeSessionsApp)
adapterSuite('fetch on node', fetchNodeApp)
// Last of the apps in this process: Next.js patches the global fetch (the suite's client) once loaded.
adapterSuite('next route handlers (next build)', nextApp)
adapterSuite('fetch on bun (Bun.serve)', fetchRuntimeApp('bun'), 'runtime')
adapterSuite('fetch on deno (Deno.serve)', fetchRuntimeApp('deno'), 'runtime')
adapterSuite('elysia on bun', elysiaApp, 'runtime')
