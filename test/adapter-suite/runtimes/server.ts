/**
 * The suite's fetch app served by the runtime this file runs in: Bun (`Bun.serve`) or Deno
 * (`Deno.serve`). Started by test/adapter-suite/apps/runtime.ts with the app's setup as JSON in
 * TESSERA_SETUP; prints `listening <port>` once ready. `/__clock?ms=` moves the engine's clock,
 * `/__runtime` names the runtime, `/__mint?data=` mints a session cookie in this process, `/__errors` lists what was logged with console.error (`?clear=1` empties the list).
 */

import type { BunRuntime, DenoRuntime } from '../../support/runtime-globals.ts'
import { fetchApp } from '../fetch-app.ts'
import { type AppSetup, buildEngine, clock, mintCookie } from '../harness.ts'

const runtime = globalThis as { Bun?: BunRuntime; Deno?: DenoRuntime }
// Which runtime answers, for the suite to check it is not testing Node by mistake.
const runtimeName =
  runtime.Bun !== undefined ? `bun ${runtime.Bun.version}` : `deno ${runtime.Deno?.version.deno ?? '?'}`
const setupJson = runtime.Bun?.env.TESSERA_SETUP ?? runtime.Deno?.env.get('TESSERA_SETUP')
if (setupJson === undefined) throw new Error('TESSERA_SETUP is not set')
const setup = JSON.parse(setupJson) as AppSetup
const app = fetchApp(buildEngine(setup))

// What the app logs is kept for the suite (GET /__errors) and still printed.
const logged: string[] = []
const printError = console.error
console.error = (...args: unknown[]) => {
  logged.push(args.map(String).join(' '))
  printError(...args)
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/__runtime') return new Response(runtimeName)
  if (url.pathname === '/__errors') {
    const answer = Response.json(logged)
    if (url.searchParams.has('clear')) logged.length = 0
    return answer
  }
  if (url.pathname === '/__mint') {
    return new Response(
      await mintCookie(setup.mode, setup.secretKey, JSON.parse(url.searchParams.get('data') ?? '{}')),
    )
  }
  if (url.pathname === '/__clock') {
    clock.ms = Number(url.searchParams.get('ms'))
    return new Response('ok')
  }
  return app(request)
}

if (runtime.Bun !== undefined) {
  const server = runtime.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handle })
  console.log(`listening ${server.port}`)
} else if (runtime.Deno !== undefined) {
  runtime.Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) },
    handle,
  )
} else {
  throw new Error('run this file with bun or deno')
}
