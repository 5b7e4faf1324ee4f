/**
 * NestJS adapter (Nest 11), on both of its platforms: `SessionModule.forRoot(options)` installs the
 * Express adapter's middleware or the Fastify adapter's plugin, whichever platform the app runs on;
 * `@Session()` hands a route the request's session; `SessionKeyGuard('user')` is the guard form of
 * `requireKey`. Written without decorator syntax (each decorator is applied as the function it is),
 * so the compiled package needs no decorator settings of its own.
 */
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  createParamDecorator,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
  HttpException,
  Inject,
  Module,
  mixin,
  type NestModule,
  type Type,
} from '@nestjs/common'
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core'
import { toEngine } from '../cookie-engine.ts'
import type { Engine } from '../engine.ts'
import { SessionMiddlewareMissing, StoreUnavailable } from '../errors.ts'
import { unauthorized } from '../guards.ts'
import type { SessionOptions } from '../options.ts'
import type { RegisteredSessionData } from '../register.ts'
import type { SessionData, Session as TesseraSession } from '../session.ts'
import { failureFor } from './commit.ts'
import { sessions as expressSessions } from './express.ts'

/** Options of {@link SessionModule.forRoot}: tessera's session options, or an engine (a store engine). */
export type NestSessionOptions = SessionOptions | Engine<RegisteredSessionData>

/** The injection token of the module's engine, for providers that want it. */
export const SESSION_ENGINE = Symbol('tessera.sessionEngine')

/** The request's session as a route receives it from {@link Session}. */
export type NestSession<Data extends SessionData = RegisteredSessionData> = TesseraSession<Data>

/** The session a platform's request carries (Express `req.session`, Fastify `request.session`). */
function sessionOf(request: { session?: unknown }): TesseraSession<SessionData> {
  const session = request.session as TesseraSession<SessionData> | null | undefined
  if (session === undefined || session === null)
    throw new SessionMiddlewareMissing('import SessionModule.forRoot(options) in the app module')
  return session
}

/**
 * Answers a `StoreUnavailable` thrown in a route or guard (a store that failed during
 * `await session.load()`) with the same 503 JSON as a failed commit, and no `Set-Cookie`. Registered
 * by {@link SessionModule.forRoot} as an app-wide filter that catches nothing else.
 */
export class SessionErrorsFilter implements ExceptionFilter<StoreUnavailable> {
  constructor(
    readonly engine: Engine,
    readonly host: HttpAdapterHost,
  ) {}

  catch(error: StoreUnavailable, host: ArgumentsHost): void {
    const failure = failureFor(error, this.engine.options.logger)
    if (failure === undefined) throw error
    const response = host.switchToHttp().getResponse<unknown>()
    this.host.httpAdapter.reply(response, JSON.parse(failure.body), failure.status)
  }
}
Catch(StoreUnavailable)(SessionErrorsFilter)
Inject(SESSION_ENGINE)(SessionErrorsFilter, undefined, 0)
Inject(HttpAdapterHost)(SessionErrorsFilter, undefined, 1)

/**
 * The sessions module: `imports: [SessionModule.forRoot({ secretKey })]` in the app module. Global,
 * so every module's routes get `@Session()`. On Express the cookie is written just before the
 * response headers go out; on Fastify in `onSend`. A 5xx response leaves the cookie as it was.
 *
 * @example
 * (at)Module({ imports: [SessionModule.forRoot({ secretKey: process.env.SECRET_KEY! })], controllers: [AppController] })
 * class AppModule {}
 */
export class SessionModule implements NestModule {
  constructor(
    readonly host: HttpAdapterHost,
    readonly engine: Engine<RegisteredSessionData>,
  ) {}

  /** The module with its engine, built (and its options checked) now, before the app starts. */
  static forRoot(options: NestSessionOptions): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      providers: [
        { provide: SESSION_ENGINE, useValue: toEngine(options) },
        { provide: APP_FILTER, useClass: SessionErrorsFilter },
      ],
      exports: [SESSION_ENGINE],
    }
  }

  /** Runs before Nest registers the routes: installs the platform's adapter in front of them. */
  async configure(): Promise<void> {
    const adapter = this.host.httpAdapter
    if (adapter.getType() === 'fastify') {
      // Imported here: an Express app need not install fastify-plugin.
      const { sessions } = await import('./fastify.ts')
      const instance = adapter.getInstance<{
        register(plugin: unknown, options: unknown): PromiseLike<unknown>
      }>()
      await instance.register(sessions, this.engine)
      return
    }
    adapter.use(expressSessions(this.engine))
  }
}
Module({})(SessionModule)
Inject(HttpAdapterHost)(SessionModule, undefined, 0)
Inject(SESSION_ENGINE)(SessionModule, undefined, 1)

/**
 * A route parameter decorator: the request's session. Annotate the parameter with the app's session
 * type, `NestSession` (the registered type) or `Session<Data>`.
 *
 * @example
 * (at)Get('me') me(@Session() session: NestSession) { return { user: session.get('user') ?? null } }
 */
export const Session = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  sessionOf(context.switchToHttp().getRequest()),
)

/**
 * A guard that answers 401 JSON (`{"detail": ...}`) unless the session holds `key`: the Nest form
 * of `requireKey`, and of a FastAPI dependency that raises `HTTPException(401)`.
 *
 * @example (at)UseGuards(SessionKeyGuard('user')) (at)Get('me') me(@Session() session: NestSession) { ... }
 */
export function SessionKeyGuard(key: keyof RegisteredSessionData & string): Type<CanActivate> {
  class RequireSessionKey implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const session = sessionOf(context.switchToHttp().getRequest())
      if (!session.isLoaded) await session.load()
      if (session.has(key)) return true
      const denied = unauthorized(key)
      throw new HttpException(denied.body, denied.status)
    }
  }
  return mixin(RequireSessionKey)
}
