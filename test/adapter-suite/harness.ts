/**
 * What the adapter conformance suite shares with every app under test: the engines it runs against,
 * the framework-agnostic route behaviour, and the shape of a running app. Imports no framework, so
 * apps running under Bun or Deno use it too.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { sealed } from '../../src/codec/sealed.ts'
import { CookieEngine } from '../../src/cookie-engine.ts'
import type { Engine } from '../../src/engine.ts'
import { login, logout } from '../../src/guards.ts'
import type { SessionOptions } from '../../src/options.ts'
import type { RegisteredSessionData } from '../../src/register.ts'
import type { Session, SessionData } from '../../src/session.ts'
import { memoryStore } from '../../src/stores/memory.ts'
import type { Store } from '../../src/stores/store.ts'
import { createStoreEngine } from '../../src/stores/store-engine.ts'

/**
 * Which engine an app runs on: the cookie engine, the real store engine on a memory store, or the
 * store engine on a store that is down.
 */
export type EngineMode = 'cookie' | 'store' | 'unavailable'

/** How to build an app; plain data, so it can be handed to a server in another runtime. */
export interface AppSetup {
  mode: EngineMode
  secretKey: string[]
  maxAge: number | null
  /** `'sealed-chunks'`: the cookie engine on the sealed format, split over at most 3 cookies. */
  format?: 'sealed-chunks'
}

/** The data the suite's routes keep. */
export interface SuiteData extends SessionData {
  value?: string
  items?: string[]
  user?: string
  big?: string
}

/** An app listening on 127.0.0.1. */
export interface RunningApp {
  url: string
  /** Sets the clock the app's engine reads (milliseconds since the epoch). */
  setClock(ms: number): Promise<void>
  /** What the app logged with `console.error` since the last {@link RunningApp.clearErrors}. */
  errors(): Promise<string[]>
  clearErrors(): Promise<void>
  close(): Promise<void>
  /**
   * A handler's exception is answered by the runtime, out of the adapter's reach (fetch handlers: the
   * adapter rethrows it), so that 500 cannot vary on the cookie.
   */
  runtimeAnswersErrors?: boolean
  /**
   * Mints a session cookie as {@link mintCookie} does, inside the app's own process: an app in another
   * runtime keeps its store sessions in its own memory store, not in this process's.
   */
  mint?(data: SessionData): Promise<string>
}

/** Starts one adapter's app. Adding an adapter to the suite means writing one of these. */
export type AppFactory = (setup: AppSetup) => Promise<RunningApp>

/**
 * The suite's session schema, written against the Standard Schema interface directly (the library
 * integrations, zod, valibot and arktype, are tested in src/schema.test.ts): `value` is a string.
 */
const suiteSchema: StandardSchemaV1<unknown, SuiteData> = {
  '~standard': {
    version: 1,
    vendor: 'tessera-suite',
    validate(data) {
      const value = (data as SuiteData).value
      if (value === undefined || typeof value === 'string') return { value: data as SuiteData }
      return { issues: [{ message: 'value must be a string', path: ['value'] }] }
    },
  },
}

/** The clock of in-process apps. */
export const clock = { ms: Date.UTC(2026, 0, 1) }

/** The store of every app on the store engine in this process, so apps with other keys share sessions. */
const suiteStore = memoryStore({ now: () => clock.ms, sweepInterval: 0 })

/** A store whose server is gone: every call fails, as a driver's would. */
const downStore: Store = {
  get: () => Promise.reject(new Error('test store at 127.0.0.1:1 is down')),
  set: () => Promise.reject(new Error('test store at 127.0.0.1:1 is down')),
  destroy: () => Promise.reject(new Error('test store at 127.0.0.1:1 is down')),
}

/** The engine an app runs on, reading {@link clock}. */
export function buildEngine(setup: AppSetup): Engine<SuiteData> {
  const options: SessionOptions = {
    secretKey: setup.secretKey,
    maxAge: setup.maxAge,
    now: () => clock.ms,
    schema: suiteSchema,
    onInvalid: (error) => console.error(`invalid session: ${error.name}`),
  }
  if (setup.format === 'sealed-chunks') options.format = sealed({ chunks: { max: 3 } })
  if (setup.mode === 'cookie') return new CookieEngine<SuiteData>(options)
  const { maxAge: _, absoluteTimeout: __, ...cookieOptions } = options
  // The store engine's lifetime is its timeouts; the suite's maxAge becomes both.
  const lifetime = setup.maxAge === null ? {} : { idleTimeout: setup.maxAge, absoluteTimeout: setup.maxAge }
  return createStoreEngine<SuiteData>({
    ...cookieOptions,
    ...lifetime,
    store: setup.mode === 'store' ? suiteStore : downStore,
    persistent: setup.maxAge !== null,
  })
}

/**
 * A `name=value` session cookie holding `data`, issued now, as an app in `mode` with `secretKey`
 * would send it, but minted without the app's schema (to hand the app data its schema refuses).
 * Store sessions are minted into the suite's store, which in-process apps share.
 */
export async function mintCookie(mode: EngineMode, secretKey: string[], data: SessionData): Promise<string> {
  const engine =
    mode === 'cookie'
      ? new CookieEngine({ secretKey, now: () => clock.ms })
      : createStoreEngine({ secretKey, now: () => clock.ms, store: suiteStore })
  const opened = engine.open(undefined)
  for (const [key, value] of Object.entries(data)) opened.session.set(key, value)
  const { setCookie } = await opened.commit()
  if (setCookie === undefined) throw new Error('minting a session gave no cookie')
  return setCookie.slice(0, setCookie.indexOf(';'))
}

/**
 * The behaviour behind `/act/<name>`, the same in every app; returns the JSON body to answer with.
 * Only actions that use the session load it, so `untouched` really leaves it alone.
 */
export async function act(
  name: string,
  session: Session<SuiteData>,
  query: URLSearchParams,
): Promise<unknown> {
  if (name === 'untouched') return 'ok'
  if (!session.isLoaded) await session.load()
  switch (name) {
    case 'read':
      return {
        value: session.get('value') ?? null,
        items: session.get('items') ?? null,
        user: session.get('user') ?? null,
      }
    case 'set':
      session.set('value', query.get('value') ?? '')
      return 'ok'
    case 'append': {
      const items = session.get('items') ?? []
      items.push(query.get('item') ?? '')
      session.set('items', items)
      return items
    }
    case 'clear':
      session.clear()
      return 'ok'
    case 'forget':
      session.set('value', query.get('value') ?? '')
      session.setPersistent(false)
      return 'ok'
    case 'big':
      session.set('big', 'x'.repeat(5000))
      return 'ok'
    case 'throw':
      session.set('value', 'thrown')
      throw new Error('handler failed on purpose')
    case 'login':
      await login(session, { user: query.get('user') ?? '' })
      return 'ok'
    case 'logout':
      await logout(session)
      return 'ok'
    case 'flash': {
      const category = query.get('category')
      const message = query.get('message') ?? ''
      if (category === null) session.flash(message)
      else session.flash(category, message)
      return 'ok'
    }
    case 'read-big':
      return session.get('big')?.length ?? null
    case 'read-flash':
      return session.flashes().map(({ category, message }) => [category, message])
    default:
      throw new Error(`unknown action ${name}`)
  }
}

/** The part of `/late` that runs after the response started: a write that cannot reach the client. */
export function lateWrite(session: Session<SuiteData>): void {
  session.set('value', 'late')
}

/**
 * The `/late` route's body as a Web stream (the fetch app, Elysia): 'first;' goes out with the
 * headers, and the session changes (`lateWrite`) only when the second chunk is pulled, after the
 * session was committed.
 */
export function lateBody(session: Session<SuiteData>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('first;'))
    },
    pull(controller) {
      lateWrite(session)
      controller.enqueue(encoder.encode('second'))
      controller.close()
    },
  })
}

/** The suite's routes, for apps that cannot read the name from a route parameter. */
export function actionOf(pathname: string): string | undefined {
  return pathname.startsWith('/act/') ? pathname.slice(5) : undefined
}

/**
 * The suite's view of a framework's session. The type-checked program registers the examples' session
 * type (examples/shared/session.ts), so the suite's own keys need this one cast.
 */
export function suiteSession(session: object): Session<SuiteData> {
  return session as Session<SuiteData>
}

/** `'value'` as a key the registered type accepts, for the frameworks' `requireKey`. */
export const VALUE_KEY = 'value' as keyof RegisteredSessionData & string
