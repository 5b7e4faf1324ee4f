import { fileURLToPath } from 'node:url'
import { runtimeServerApp } from './fetch.ts'

/** The Elysia adapter under Bun, in a child process: ../runtimes/elysia.ts. */
export const elysiaApp = runtimeServerApp(
  'bun',
  fileURLToPath(new URL('../runtimes/elysia.ts', import.meta.url)),
)
