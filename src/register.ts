import type { SessionData } from './session.ts'

/**
 * Declare your session's shape once, for every framework adapter: `req.session` (Express),
 * `request.session` (Fastify) and `ctx.session` (Koa) are then `Session<YourData>`.
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

/** The data type declared through {@link Register}, or plain {@link SessionData} when none was. */
export type RegisteredSessionData = Register extends { sessionData: infer Data extends SessionData }
  ? Data
  : SessionData
