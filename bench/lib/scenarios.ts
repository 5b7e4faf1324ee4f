/** The requests of the benchmark, and the checks that each server really does what the scenario says. */
import type { ServerSpec } from './servers.ts'

/** Which session cookie a scenario sends. */
export type CookieKind = 'none' | 'small' | 'large'

/** One scenario: an endpoint and the cookie sent to it. */
export interface Scenario {
  id: 'read' | 'write' | 'new' | 'untouched' | 'large'
  path: string
  cookie: CookieKind
  description: string
}

/** Every scenario, in table order. */
export const SCENARIOS: Scenario[] = [
  { id: 'read', path: '/read', cookie: 'small', description: 'valid cookie, the handler reads a value' },
  { id: 'write', path: '/write', cookie: 'small', description: 'valid cookie, the handler changes a value' },
  { id: 'new', path: '/new', cookie: 'none', description: 'no cookie, the handler creates a session' },
  {
    id: 'untouched',
    path: '/untouched',
    cookie: 'small',
    description: 'valid cookie, the route never touches the session',
  },
  { id: 'large', path: '/large', cookie: 'large', description: 'a 2 KB session, the handler reads a value' },
]

/** Cookies a server gave us, to send back. */
export interface Cookies {
  small: string | undefined
  large: string | undefined
}

// Bare servers get a cookie header of the size a session cookie has, so they parse the same bytes.
const DUMMY: Cookies = { small: `session=${'a'.repeat(100)}`, large: `session=${'a'.repeat(2760)}` }

/** Whether the server keeps sessions (bare frameworks and reference points do not). */
export function hasSession(spec: ServerSpec): boolean {
  return spec.kind === 'tessera' || spec.kind === 'peer'
}

/** Logs in twice (small and 2 KB session) and keeps the cookies the way a browser would. */
export async function obtainCookies(spec: ServerSpec, base: string): Promise<Cookies> {
  if (!hasSession(spec)) return DUMMY
  return { small: await login(`${base}/setup`), large: await login(`${base}/setup-large`) }
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

/** The cookie header a scenario sends. */
export function cookieFor(scenario: Scenario, cookies: Cookies): string | undefined {
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
  cookie: string | undefined,
): Promise<string | undefined> {
  const res = await fetch(base + scenario.path, { headers: cookie ? { cookie } : {} })
  const body = await res.text()
  if (res.status !== 200) return `status ${res.status}`
  const setsCookie = res.headers.getSetCookie().length > 0
  switch (scenario.id) {
    case 'read':
    case 'large':
      return body === 'alice' ? undefined : `read ${JSON.stringify(body)} instead of "alice"`
    case 'write':
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
