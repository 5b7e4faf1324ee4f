import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { createAdaptorServer } from '@hono/node-server'
import { fetchApp } from '../fetch-app.ts'
import type { AppFactory } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

/** The fetch adapter on Node, through @hono/node-server's Request/Response bridge. */
const fetchOnNode = inProcess(async (engine) =>
  listen(createAdaptorServer({ fetch: fetchApp(engine) }) as Server),
)
export const fetchNodeApp: AppFactory = async (setup) => ({
  ...(await fetchOnNode(setup)),
  runtimeAnswersErrors: true,
})

const server = fileURLToPath(new URL('../runtimes/server.ts', import.meta.url))
const require = createRequire(import.meta.url)

// The sources' `#crypto` and `#base64` imports resolve through package.json with this condition.
const SOURCE = '--conditions=tessera-session-source'

/** The command that runs a suite server under Bun or Deno, from the npm packages' binaries. */
function command(runtime: 'bun' | 'deno', script: string): [string, string[]] {
  if (runtime === 'bun') return [require.resolve('bun/bin/bun.exe'), ['run', SOURCE, script]]
  return [
    require.resolve('deno/deno'),
    ['run', SOURCE, '--allow-net=127.0.0.1', '--allow-env', '--allow-read', '--no-prompt', script],
  ]
}

/** The fetch adapter served by another runtime's own server (`Bun.serve` / `Deno.serve`), in a child process. */
export function fetchRuntimeApp(runtime: 'bun' | 'deno'): AppFactory {
  return runtimeServerApp(runtime, server)
}

/** The suite's app that `script` serves under `runtime`, in a child process (see ../runtimes/server.ts). */
export function runtimeServerApp(runtime: 'bun' | 'deno', script: string): AppFactory {
  return async (setup) => {
    const [file, args] = command(runtime, script)
    const child = spawn(file, args, {
      env: { ...process.env, TESSERA_SETUP: JSON.stringify(setup), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    let stdout = ''
    child.stdout.setEncoding('utf8')
    const port = await new Promise<number>((resolve, reject) => {
      // Only a guard against a hang: a loaded machine can take many seconds to start a runtime.
      const timer = setTimeout(
        () => reject(new Error(`${runtime} did not start in 120 s:\n${stderr}`)),
        120_000,
      )
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk
        const match = /listening (\d+)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`${runtime} exited with ${code} before listening:\n${stderr}`))
      })
    })
    const url = `http://127.0.0.1:${port}`
    const answering = await (await fetch(`${url}/__runtime`)).text()
    if (!answering.startsWith(`${runtime} `))
      throw new Error(`expected ${runtime} to answer, got ${answering}`)
    console.log(`# fetch adapter served by ${answering}`)
    return {
      url,
      runtimeAnswersErrors: true,
      async setClock(ms) {
        await (await fetch(`${url}/__clock?ms=${ms}`)).text()
      },
      // The server keeps what it logged; stderr alone could arrive after the answer.
      errors: async () => (await (await fetch(`${url}/__errors`)).json()) as string[],
      async clearErrors() {
        await (await fetch(`${url}/__errors?clear=1`)).text()
      },
      mint: async (data) =>
        (await fetch(`${url}/__mint?data=${encodeURIComponent(JSON.stringify(data))}`)).text(),
      async close() {
        child.kill()
        if (child.exitCode === null) await once(child, 'exit')
      },
    }
  }
}
