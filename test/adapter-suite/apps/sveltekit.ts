/**
 * The suite's app on SvelteKit: a real SvelteKit app (./sveltekit-app) built with vite once per run,
 * in a directory of its own, and served by SvelteKit's own `Server` (what every SvelteKit adapter
 * wraps) on Node through @hono/node-server's Request/Response bridge. The adapter's hook reaches the
 * built app through `platform`, so one build serves every engine the suite starts.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { createAdaptorServer } from '@hono/node-server'
import { requireKey, sessions } from 'tessera-session/sveltekit'
import { act, actionOf, lateBody } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const fixture = fileURLToPath(new URL('../sveltekit-app', import.meta.url))

/** SvelteKit's built server, as its adapters use it. */
interface KitServer {
  init(options: { env: Record<string, string> }): Promise<void>
  respond(request: Request, options: { getClientAddress(): string; platform: unknown }): Promise<Response>
}

let built: Promise<KitServer> | undefined

/** Builds the app (about 25 s on a loaded machine) and starts SvelteKit's server on it. */
async function build(): Promise<KitServer> {
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', 'sveltekit-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  cpSync(fixture, dir, { recursive: true })
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  await promisify(execFile)(process.execPath, [vite, 'build'], { cwd: dir })
  const output = join(dir, '.svelte-kit', 'output', 'server')
  const { Server } = (await import(pathToFileURL(join(output, 'index.js')).href)) as {
    Server: new (manifest: unknown) => KitServer
  }
  const { manifest } = (await import(pathToFileURL(join(output, 'manifest.js')).href)) as {
    manifest: unknown
  }
  const server = new Server(manifest)
  await server.init({ env: {} })
  return server
}

const suite = { act, actionOf, lateBody, requireKey }

export const sveltekitApp = inProcess(async (engine) => {
  built ??= build()
  const kit = await built
  const platform = { handle: sessions(engine), suite }
  const server = createAdaptorServer({
    fetch: (request: Request) => kit.respond(request, { getClientAddress: () => '127.0.0.1', platform }),
  })
  return listen(server as Server)
})
