/** Runs an app in this process, on a real HTTP server on 127.0.0.1, with console.error captured. */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Engine } from '../../src/engine.ts'
import { type AppFactory, type AppSetup, buildEngine, clock, type SuiteData } from './harness.ts'

const captured: string[] = []
const originalError = console.error
let capturing = 0

/** A listening server's address and how to stop it. */
export interface Listening {
  url: string
  close(): Promise<void>
}

/** The factory for an app built in this process from an engine. */
export function inProcess(
  start: (engine: Engine<SuiteData>, setup: AppSetup) => Promise<Listening>,
): AppFactory {
  return async (setup) => {
    const listening = await start(buildEngine(setup), setup)
    if (capturing++ === 0) {
      console.error = (...args: unknown[]) => {
        captured.push(args.map(String).join(' '))
      }
    }
    return {
      url: listening.url,
      async setClock(ms) {
        clock.ms = ms
      },
      errors: async () => [...captured],
      async clearErrors() {
        captured.length = 0
      },
      async close() {
        await listening.close()
        if (--capturing === 0) console.error = originalError
      },
    }
  }
}

/** Listens on an ephemeral port of 127.0.0.1. */
export function listen(server: Server): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
