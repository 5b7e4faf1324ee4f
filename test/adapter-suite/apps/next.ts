/**
 * The suite's app on the Next.js App Router: a real Next.js app (../next-app, one catch-all Route
 * Handler) built with `next build` once per test run, in a directory of its own, and served by Next.js'
 * own request handler (`next({ dev: false })`, what `next start` runs) in this process. Each app the
 * suite starts is an HTTP server of its own in front of that one handler; it names itself in a request
 * header, and the Route Handler picks that app's `nextSessions(engine)` from `globalThis`. So one build
 * serves every engine, and the adapter keeps the suite's module graph (its error classes among them).
 *
 * What Next.js' runtime decides for itself, the app declares: a Route Handler that throws is answered
 * by Next.js (`runtimeAnswersErrors`).
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type NextSessions, nextSessions } from '../../../src/adapters/next.ts'
import { suiteRoutes } from '../fetch-app.ts'
import type { AppFactory, SuiteData } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const fixture = fileURLToPath(new URL('../next-app', import.meta.url))
const require = createRequire(import.meta.url)

/** What the Route Handler takes from `globalThis.tesseraNextSuite`. */
export interface NextSuite {
  /** The request header naming the suite app a request is for. */
  header: string
  apps: Map<string, NextSessions<SuiteData>>
  /** The suite's routes, as the fetch app answers them. */
  routes: typeof suiteRoutes
}

const HEADER = 'x-tessera-suite-app'
const suite: NextSuite = { header: HEADER, apps: new Map(), routes: suiteRoutes }
;(globalThis as { tesseraNextSuite?: NextSuite }).tesseraNextSuite = suite

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>
let built: Promise<Handle> | undefined

/** Builds the app (a minute or two on a loaded machine) and prepares Next.js' handler on it. */
async function build(): Promise<Handle> {
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', 'next-suite-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  cpSync(fixture, dir, { recursive: true })
  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')
  await promisify(execFile)(process.execPath, [nextBin, 'build'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 1024 * 1024,
  })
  const next = require('next') as (options: { dev: boolean; dir: string; quiet: boolean }) => {
    prepare(): Promise<void>
    getRequestHandler(): Handle
  }
  const app = next({ dev: false, dir, quiet: true })
  await app.prepare()
  return app.getRequestHandler()
}

let count = 0

const nextOnNode = inProcess(async (engine) => {
  built ??= build()
  const handle = await built
  const id = String(++count)
  suite.apps.set(id, nextSessions(engine))
  const listening = await listen(
    createServer((req, res) => {
      req.headers[HEADER] = id
      void handle(req, res)
    }),
  )
  return {
    url: listening.url,
    async close() {
      suite.apps.delete(id)
      await listening.close()
    },
  }
})

export const nextApp: AppFactory = async (setup) => ({
  ...(await nextOnNode(setup)),
  runtimeAnswersErrors: true,
})
