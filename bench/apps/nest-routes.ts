/**
 * The benchmark endpoints as a NestJS controller, in a module with the given imports. Decorators are
 * applied as functions: tsx gives bench/apps no decorator settings.
 */
import 'reflect-metadata'
import { Controller, Get, Module, Req } from '@nestjs/common'
import { type Bag, ENDPOINTS, handlerOf } from './common.ts'

/** `get`/`set` on the request's session (tessera's and secure-session's have them). */
export const requestSession = (req: { session: Bag }): Bag => req.session

/** express-session's `req.session`, a plain object, as a {@link Bag}. */
export const plainSession = (req: { session: Record<string, unknown> }): Bag => ({
  get: (k) => req.session[k],
  set: (k, v) => {
    req.session[k] = v
  },
})

/** A module whose controller serves every endpoint: `@Get(path)`, `@Req()` where it uses the session. */
export function benchModule(session: ((req: never) => Bag) | undefined, imports: unknown[] = []) {
  class BenchController {}
  for (const endpoint of ENDPOINTS) {
    const name = `get${endpoint.path.replace(/\W/g, '_')}`
    const value = handlerOf(endpoint, session)
    Object.defineProperty(BenchController.prototype, name, { value, writable: true, configurable: true })
    const descriptor = Object.getOwnPropertyDescriptor(BenchController.prototype, name) as PropertyDescriptor
    Get(endpoint.path.slice(1))(BenchController.prototype, name, descriptor)
    if (endpoint.usesSession) Req()(BenchController.prototype, name, 0)
  }
  Controller()(BenchController)
  class BenchModule {}
  Module({ imports: imports as never[], controllers: [BenchController] })(BenchModule)
  return BenchModule
}
