/**
 * The soak's load generator: keep-alive HTTP/1.1 on loopback (node:http), `connections` requests in
 * flight. Sessions are visited like users who come back: a window of active sessions is a queue; each
 * request takes the session at its head, sends its next request with the session's cookie, and puts
 * it back at the tail until it has had its share. A session's requests are therefore one after
 * another and spread over the run, and a finished session is left to expire.
 *
 * Every answer is checked: status 200, the seed's value read back where it was written, a cookie on
 * the first answer. Anything else counts as an error (with its first few examples kept).
 */
import { Agent, request } from 'node:http'
import { ITEMS } from '../../examples/demo/catalogue.ts'

/** What one soak run asks for. */
export interface LoadPlan {
  port: number
  requests: number
  sessions: number
  connections: number
  /** Sessions being visited at once. */
  window: number
  /** Stop sending new requests after this many seconds, even if `requests` were not all sent. */
  maxSeconds: number
  /** Called about once a second with the requests done so far. */
  onProgress?: (done: number) => void
}

/** What a soak run did. */
export interface LoadResult {
  requests: number
  sessions: number
  errors: number
  /** Up to 10 examples of errors. */
  examples: string[]
  seconds: number
  /** Requests by path, by their first segment. */
  byRoute: Record<string, number>
  /** Whether `maxSeconds` ended the run before every request was sent. */
  cutShort: boolean
}

interface VirtualUser {
  cookie: string | undefined
  step: number
  share: number
}

/** The steps a session walks through, in order, cycling: the first creates it. */
function pathFor(user: VirtualUser, index: number): { path: string; expect?: string } {
  const slug = ITEMS[index % ITEMS.length]?.slug ?? 'unknown'
  switch (user.step % 8) {
    case 0:
      return user.step === 0 ? { path: '/create_session', expect: '"ok"' } : { path: '/' }
    case 1:
    case 5:
      return { path: '/read_session', expect: '"1234"' }
    case 2:
    case 6:
      return { path: `/catalogue/${slug}` }
    case 3:
      return { path: '/preferences' }
    case 4:
      return { path: '/session' }
    default:
      return { path: '/catalogue' }
  }
}

/** Runs the load; resolves when every request is answered (or `maxSeconds` passed). */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections })
  const started = performance.now()
  const deadline = started + plan.maxSeconds * 1000
  const base = Math.floor(plan.requests / plan.sessions)
  const extra = plan.requests % plan.sessions
  let created = 0
  let sent = 0
  let done = 0
  let errors = 0
  let cutShort = false
  const examples: string[] = []
  const byRoute: Record<string, number> = {}
  const queue: VirtualUser[] = []
  const fail = (what: string) => {
    errors++
    if (examples.length < 10) examples.push(what)
  }
  const refill = () => {
    while (queue.length < plan.window && created < plan.sessions) {
      const share = base + (created < extra ? 1 : 0)
      created++
      if (share > 0) queue.push({ cookie: undefined, step: 0, share })
    }
  }
  const progress = setInterval(() => plan.onProgress?.(done), 1000)

  const one = (user: VirtualUser): Promise<void> => {
    const { path, expect } = pathFor(user, sent)
    const route = path.split('/')[1] ?? ''
    byRoute[route] = (byRoute[route] ?? 0) + 1
    return new Promise((resolve) => {
      const headers: Record<string, string> = { 'accept-language': 'en' }
      if (user.cookie !== undefined) headers.cookie = user.cookie
      const req = request({ host: '127.0.0.1', port: plan.port, path, agent, headers }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (expect !== undefined) body += chunk
        })
        res.on('end', () => {
          const cookie = res.headers['set-cookie']?.find((c) => c.startsWith('session='))
          if (cookie !== undefined) user.cookie = cookie.slice(0, cookie.indexOf(';'))
          if (res.statusCode !== 200) fail(`${path}: status ${res.statusCode}`)
          else if (expect !== undefined && body !== expect) fail(`${path}: ${body} instead of ${expect}`)
          else if (user.cookie === undefined) fail(`${path}: no session cookie`)
          resolve()
        })
        res.on('error', (error) => {
          fail(`${path}: ${error.message}`)
          resolve()
        })
      })
      req.on('error', (error) => {
        fail(`${path}: ${error.message}`)
        resolve()
      })
      req.end()
    })
  }

  const worker = async () => {
    for (;;) {
      refill()
      const user = queue.shift()
      if (user === undefined) return
      if (performance.now() > deadline) {
        cutShort = true
        return
      }
      sent++
      await one(user)
      done++
      user.step++
      if (user.step < user.share) queue.push(user)
    }
  }
  try {
    await Promise.all(Array.from({ length: plan.connections }, worker))
  } finally {
    clearInterval(progress)
    agent.destroy()
  }
  return {
    requests: done,
    sessions: created,
    errors,
    examples,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    byRoute,
    cutShort,
  }
}
