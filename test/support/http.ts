/** Small helpers for tests over real HTTP on loopback. */
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Polls `url` until it answers, or throws after `timeoutMs` with what was last seen. */
export async function waitForHttp(
  url: string,
  timeoutMs = 20_000,
  describeFailure: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      await fetch(url)
      return
    } catch (error) {
      last = error
      await sleep(100)
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${String(last)})\n${describeFailure()}`)
}

/** One response, with its Set-Cookie headers split out. */
export interface Answer {
  status: number
  body: unknown
  setCookie: string[]
  headers: Headers
}

/** GET or POST `url` with an optional Cookie header; never follows redirects. */
export async function request(url: string, init: { cookie?: string; json?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (init.cookie !== undefined) headers.cookie = init.cookie
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(url, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers,
    redirect: 'manual',
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return {
    status: response.status,
    body,
    setCookie: response.headers.getSetCookie(),
    headers: response.headers,
  }
}

/** `name=value` of the first Set-Cookie for `name`, ready to send back as a Cookie header. */
export function cookiePair(answer: Answer, name = 'session'): string {
  const header = answer.setCookie.find((h) => h.startsWith(`${name}=`))
  if (header === undefined)
    throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(answer.setCookie)}`)
  return header.slice(0, header.indexOf(';'))
}
