/**
 * `npm start`: the demo app on HOST:PORT (default 127.0.0.1:8000), secret from SECRET_KEY (the
 * variables are listed in config.ts). The pages are walked through in docs/demo.md.
 *
 * It stops on SIGTERM and SIGINT, finishing the requests in flight. For `kill -TERM <npm pid>` to
 * reach it, `npm start` must run this file in the process npm signals: npm forwards the signal to its
 * child only, the `sh -c` that runs the script, which dies without passing it on, and the `tsx` CLI
 * is another wrapper in between. So the script is `exec node --import tsx ...`: one process.
 */
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { ConfigError } from 'tessera-session'
import { createDemoApp } from './app.ts'
import { demoConfig } from './config.ts'

/** How long requests in flight may take to finish once a stop signal arrives. */
const GRACE_MS = 5000

function main(): void {
  let config: ReturnType<typeof demoConfig>
  let app: ReturnType<typeof createDemoApp>
  try {
    config = demoConfig(process.env)
    app = createDemoApp(config.options)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(
      `tessera demo: ${error.message}\n` +
        '  npm start reads SECRET_KEY, SECRET_KEY_FALLBACKS (older keys, comma-separated: they verify, never sign) ' +
        'and ALLOW_WEAK_SECRET=1 (to sign with a SECRET_KEY shorter than 32 characters, such as a FastAPI app’s); see the README.',
    )
    process.exitCode = 1
    return
  }
  if (config.randomSecret) {
    console.warn(
      'tessera demo: SECRET_KEY is not set, so a random secret was generated for this run.\n' +
        '  Sessions will NOT survive a restart. Set SECRET_KEY (the same value as your FastAPI app to share sessions with it).',
    )
  }
  const { host, port } = config
  const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
    console.log(`tessera demo listening on http://${host}:${info.port}`)
    console.log(
      `  open http://${host}:${info.port}/ for the pages (draft, preferences, catalogue, sign-in, session)`,
    )
    console.log('  the seed’s JSON endpoints: /create_session, /read_session, /delete_session')
  }) as Server
  stopOnSignals(server)
}

/**
 * Closes the server on the first SIGTERM or SIGINT: no new connections, requests in flight finish,
 * then the process exits. Connections still busy after {@link GRACE_MS} are cut. A second signal
 * (Ctrl-C reaches npm and the server, and npm passes its own on) changes nothing.
 */
function stopOnSignals(server: Server): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`tessera demo: ${signal}, stopping`)
    server.close(() => process.exit(0))
    setTimeout(() => {
      server.closeAllConnections()
      process.exit(0)
    }, GRACE_MS).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main()
