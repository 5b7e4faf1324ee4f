/** The requests of the benchmark, and the checks that each server really does what the scenario says. */
import type { ServerSpec } from './servers.ts'

/** Which session cookie a scenario sends: `each` gives every connection a session of its own. */
export type CookieKind = 'none' | 'small' | 'large' | 'each'

/** What a scenario is called. */
export type ScenarioId = 'read' | 'write' | 'new' | 'untouched' | 'large' | 'write-each'

/** One scenario: an endpoint and the cookie sent to it. */
export interface Scenario {
  id: ScenarioId
  path: string
  cookie: CookieKind
  description: string
  /** The bare framework's scenario this one is compared with, when it is not itself. */
  bareAs?: ScenarioId
}

/** Every scenario, in table order. */
export const SCENARIOS: Scenario[] = [
  { id: 'read', path: '/read', cookie: 'small', description: 'valid cookie, the handler reads a value' },
  {
    id: 'write',
    path: '/write',
    cookie: 'small',
    description:
      'valid cookie, the handler changes a value; every connection sends the same cookie, so with a ' +
      'store all 50 connections write ONE session (the contended case)',
  },
  { id: 'new', path: '/new', cookie: 'none', description: 'no cookie, the handler creates a session' },
  {
    id: 'untouched',
    path: '/untouched',
    cookie: 'small',
    description: 'valid cookie, the route never touches the session',
  },
  { id: 'large', path: '/large', cookie: 'large', description: 'a 2 KB session, the handler reads a value' },
  {
    id: 'write-each',
    path: '/write',
    cookie: 'each',
    bareAs: 'write',
    description:
      'the write scenario with one session per connection (as many sessions as connections, handed ' +
      'out round-robin by a wrk script): the uncontended store write, compared with bare write',
  },
]

/** What a server runs unless its spec says otherwise. */
export const DEFAULT_SCENARIOS: ScenarioId[] = ['read', 'write', 'new', 'untouched', 'large']

/** The scenarios `spec` runs, in table order. */
export function scenariosOf(spec: ServerSpec): Scenario[] {
  const ids = spec.scenarios ?? DEFAULT_SCENARIOS
  return SCENARIOS.filter((s) => ids.includes(s.id))
}

/** The path a scenario requests on `spec` (the demo answers on its own paths). */
export function pathOf(spec: ServerSpec, scenario: Scenario): string {
  return spec.paths?.[scenario.id] ?? scenario.path
}

/** Cookies a server gave us, to send back. */
export interface Cookies {
  small: string | undefined
  large: string | undefined
  each: string[] | undefined
}

// Bare servers get a cookie header of the size a session cookie has, so they parse the same bytes.
const DUMMY_SMALL = `session=${'a'.repeat(100)}`
const DUMMY: Cookies = { small: DUMMY_SMALL, large: `session=${'a'.repeat(2760)}`, each: [DUMMY_SMALL] }

/** Whether the server keeps sessions (bare frameworks and reference points do not). */
export function hasSession(spec: ServerSpec): boolean {
  return spec.kind === 'tessera' || spec.kind === 'peer'
}

/**
 * Logs in the way a browser would and keeps the cookies: a small and a 2 KB session, and `sessions`
 * small ones more when the server runs a scenario with one session per connection.
 */
export async function obtainCookies(spec: ServerSpec, base: string, sessions: number): Promise<Cookies> {
  if (!hasSession(spec)) return DUMMY
  const ids = spec.scenarios ?? DEFAULT_SCENARIOS
  const setup = spec.paths?.setup ?? '/setup'
  const each = ids.includes('write-each')
    ? await Promise.all(Array.from({ length: sessions }, () => login(base + setup)))
    : undefined
  const large = ids.includes('large') ? await login(`${base}/setup-large`) : undefined
  return { small: await login(base + setup), large, each }
}

async function login(url: string): Promise<string> {
  const res = await fetch(url)
  await res.arrayBuffer()
  const jar = new Map<string, string>()
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0] as string
    const eq = pair.indexOf('=')
    const expired = /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)
    // A later Set-Cookie for the same name replaces the earlier one, as in a browser.
    if (expired) jar.delete(pair.slice(0, eq))
    else jar.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
  if (jar.size === 0) throw new Error(`${url} set no cookie`)
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
}

/** The cookie header(s) a scenario sends: one for every request, or one per session. */
export function cookieFor(scenario: Scenario, cookies: Cookies): string | string[] | undefined {
  return scenario.cookie === 'none' ? undefined : cookies[scenario.cookie]
}

/**
 * Checks one scenario on one server before it is timed: a fast wrong answer must not count.
 * Returns a problem, or `undefined` when the server behaves.
 */
export async function check(
  spec: ServerSpec,
  scenario: Scenario,
  base: string,
  cookies: string | string[] | undefined,
): Promise<string | undefined> {
  const cookie = Array.isArray(cookies) ? cookies[0] : cookies
  const res = await fetch(base + pathOf(spec, scenario), { headers: cookie ? { cookie } : {} })
  const body = await res.text()
  if (res.status !== 200) return `status ${res.status}`
  const setsCookie = res.headers.getSetCookie().length > 0
  // Reference (b) is only a reference if it really sends the header.
  if (spec.id.endsWith('/vary') && !/\bcookie\b/i.test(res.headers.get('vary') ?? ''))
    return `sent no Vary: Cookie (vary: ${JSON.stringify(res.headers.get('vary'))})`
  const user = spec.readAnswer ?? 'alice'
  switch (scenario.id) {
    case 'read':
    case 'large':
      return body === user ? undefined : `read ${JSON.stringify(body)} instead of ${JSON.stringify(user)}`
    case 'write':
    case 'write-each':
      return /^\d+$/.test(body) ? undefined : `answered ${JSON.stringify(body)}`
    case 'new':
      if (hasSession(spec) && !setsCookie) return 'created no session (no Set-Cookie)'
      return body === 'ok' ? undefined : `answered ${JSON.stringify(body)}`
    case 'untouched':
      if (spec.kind === 'tessera' && setsCookie)
        return 'set a cookie on a route that never touched the session'
      return body === 'ok' ? undefined : `answered ${JSON.stringify(body)}`
  }
}
