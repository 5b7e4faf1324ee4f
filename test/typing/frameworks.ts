/**
 * Compile-time checks, run by `npm run typecheck`: the session type registered in
 * examples/shared/session.ts (`Register`) reaches each framework's request type, and wrong keys or
 * value types are errors. Nothing here runs.
 */
import type { Request } from 'express'
import type { FastifyRequest } from 'fastify'
import type { Context } from 'koa'
import type { RegisteredSessionData } from 'tessera-session'
import type { AppSession } from '../../examples/shared/session.ts'
import '../../src/adapters/express.ts'
import '../../src/adapters/fastify.ts'
import '../../src/adapters/koa.ts'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<T extends true>(): T | undefined {
  return undefined
}

expectType<Equal<RegisteredSessionData, AppSession>>()

export function express(req: Request): void {
  expectType<Equal<ReturnType<typeof req.session.get<'user'>>, string | undefined>>()
  // @ts-expect-error 'nope' is not a key of AppSession
  req.session.get('nope')
  // @ts-expect-error visits is a number
  req.session.set('visits', 'many')
}

export function fastify(request: FastifyRequest): void {
  expectType<Equal<ReturnType<typeof request.session.get<'visits'>>, number | undefined>>()
  // @ts-expect-error 'nope' is not a key of AppSession
  request.session.get('nope')
}

export function koa(ctx: Context): void {
  expectType<Equal<ReturnType<typeof ctx.session.get<'user'>>, string | undefined>>()
  // @ts-expect-error user is a string
  ctx.session.set('user', 42)
}
