/**
 * The examples' session shape, declared once for every framework: `req.session` (Express),
 * `request.session` (Fastify), `ctx.session` (Koa) are `Session<AppSession>` from here on.
 */
import { randomBytes } from 'node:crypto'
import type { SessionOptions } from 'tessera-session'

/** What the example apps keep in their session (a type alias: interfaces need an index signature). */
export type AppSession = {
  user?: string
  visits?: number
}

declare module 'tessera-session' {
  interface Register {
    sessionData: AppSession
  }
}

/** The examples' options: SECRET_KEY from the environment, or a random one for this run. */
export function exampleOptions(): SessionOptions {
  let secretKey = process.env.SECRET_KEY
  if (!secretKey) {
    secretKey = randomBytes(32).toString('base64')
    console.warn('SECRET_KEY is not set: using a random secret, sessions end when the server stops.')
  }
  return { secretKey }
}

/** Where the examples listen: HOST and PORT, default 127.0.0.1:8000. */
export const address = { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000) }

/** Whether `import.meta.url` is the file node was started with (run directly, not imported by a test). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === new URL(`file://${process.argv[1]}`).href
}
