/** Small helpers for tests over real HTTP on loopback. */
import { request as httpRequest } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

/** Polls `url` until it answers, or throws after `timeoutMs` with what was last seen. */
export async function waitForHttp(
  url: string,
  timeoutMs = 60_000,
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
  /** The body as it came, before any JSON parsing. */
  text: string
  setCookie: string[]
  headers: Headers
}

/**
 * GET or POST `url` with an optional Cookie header; never follows redirects. Each request opens its
 * own connection: reusing a kept-alive one races with servers (uvicorn after a 500) that close it.
 */
export function request(
  url: string,
  init: { cookie?: string; json?: unknown; text?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (init.cookie !== undefined) headers.cookie = init.cookie
  const body = init.text ?? (init.json === undefined ? undefined : JSON.stringify(init.json))
  if (body !== undefined) headers['content-type'] = 'application/json'
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: body === undefined ? 'GET' : 'POST', headers, agent: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('error', reject)
        res.on('end', () => {
          const responseHeaders = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? '']) responseHeaders.append(name, one)
          }
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {}
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            text,
            setCookie: res.headers['set-cookie'] ?? [],
            headers: responseHeaders,
          })
        })
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** `name=value` of the first Set-Cookie for `name`, ready to send back as a Cookie header. */
export function cookiePair(answer: Answer, name = 'session'): string {
  const header = answer.setCookie.find((h) => h.startsWith(`${name}=`))
  if (header === undefined)
    throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(answer.setCookie)}`)
  return header.slice(0, header.indexOf(';'))
}
