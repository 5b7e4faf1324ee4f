import type * as root from './index.ts'
import type { SessionData } from './session.ts'

/**
 * Declare your session's shape once, for every framework adapter: `req.session` (Express),
 * `request.session` (Fastify) and `ctx.session` (Koa) are then `Session<YourData>`.
 *
 * Declare it in any module of the app (a `session.d.ts` needs an `export {}` or an import line: without
 * one, TypeScript takes the `declare module` block for the whole package and hides its exports).
 *
 * @example
 * declare module 'tessera-session' {
 *   interface Register {
 *     sessionData: { user?: string; cart: string[] }
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the application through declaration merging.
export interface Register {}

/**
 * The data type declared through {@link Register}, or plain {@link SessionData} when none was.
 *
 * Read through the package root, not this file: TypeScript applies an app's
 * `declare module 'tessera-session'` only when the root's declaration file is in the program, and an
 * app that imports nothing but `tessera-session/express` reaches the root only through this import.
 */
export type RegisteredSessionData = root.Register extends { sessionData: infer Data extends SessionData }
  ? Data
  : SessionData
