/**
 * `tessera-session/next` in a real Next.js App Router app (test/frameworks/next/app), built once with
 * `next build` and served by `next start` on 127.0.0.1: the seed's endpoints as Route Handlers, a
 * Server Action that signs in with "remember me", a Server Component that shows the user (and refuses
 * a change), middleware on the edge runtime that redirects anonymous users, a cookie minted by the
 * seed's real FastAPI app, hostile cookies and a session too large for a cookie; a Server Action behind a
 * proxy (`httpsOnly: 'auto'`) and one that writes a session split over several cookies.
 *
 * The app installs tessera as users do: the package built from src/ (package.json and dist/) in its
 * node_modules, resolved without the `tessera-session-source` condition.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { installBuiltPackage } from '../../support/built-package.ts'
import { hostileCookieHeaders } from '../../support/cookies.ts'
import { waitForHttp } from '../../support/http.ts'
import { reservePort } from '../../support/ports.ts'
import { ensureStarlette, PYTHON } from '../../support/python.ts'
import { nextQuickstartFiles } from '../../support/quickstarts.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
/** `next build` on two loaded cores takes one to two minutes; this only bounds a hang. */
const BUILD_MS = 240_000

// Inside the checkout, so `next`, `react` and tessera's own dependencies resolve from its node_modules.
let dir = ''
const children: ChildProcess[] = []
let log = ''
let next = ''
let fastapi = ''

function start(command: string, args: string[], env: Record<string, string>, cwd = root): ChildProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  children.push(child)
  return child
}

interface Answer {
  status: number
  text: string
  setCookies: string[]
  headers: Headers
}

async function get(url: string, cookie?: string, init: RequestInit = {}): Promise<Answer> {
  const headers = new Headers(init.headers)
  if (cookie !== undefined) headers.set('cookie', cookie)
  const response = await fetch(url, { ...init, headers, redirect: 'manual' })
  return {
    status: response.status,
    text: await response.text(),
    setCookies: response.headers.getSetCookie(),
    headers: response.headers,
  }
}

/** The session's `Set-Cookie` in an answer. */
function sessionHeader(answer: Answer): string {
  const header = answer.setCookies.find((c) => c.startsWith('session='))
  assert.ok(header, `expected a session Set-Cookie, got ${JSON.stringify(answer.setCookies)}`)
  return header
}

/** `session=value`, as the browser sends it back. */
function sessionCookie(answer: Answer): string {
  return sessionHeader(answer).split(';')[0] as string
}

function hasNoSessionCookie(answer: Answer): void {
  assert.deepEqual(
    answer.setCookies.filter((c) => c.startsWith('session=')),
    [],
  )
}

function variesOnCookie(answer: Answer): boolean {
  return (answer.headers.get('vary') ?? '').split(',').some((name) => name.trim().toLowerCase() === 'cookie')
}

/** Posts the form on `path` as a browser without JavaScript does (progressive enhancement). */
async function submitAction(
  path: string,
  fields: Record<string, string>,
  cookie?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const page = await get(next + path)
  const id = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page.text)?.[1]
  assert.ok(id, `no Server Action form on ${path}: ${page.text.slice(0, 500)}`)
  const form = new FormData()
  form.set(id, '')
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  return get(next + path, cookie, { method: 'POST', body: form, headers: { origin: next, ...headers } })
}

describe('Next.js App Router (next build + next start)', { timeout: 360_000 }, () => {
  before(
    async () => {
      ensureStarlette()
      const pythonPort = await reservePort()
      fastapi = `http://127.0.0.1:${pythonPort}`
      start(
        PYTHON,
        [
          '-m',
          'uvicorn',
          'fastapi_app:app',
          '--app-dir',
          'test/interop',
          '--host',
          '127.0.0.1',
          '--port',
          String(pythonPort),
        ],
        { SECRET_KEY: SECRET },
      )

      mkdirSync(join(root, '.tmp'), { recursive: true })
      dir = mkdtempSync(join(root, '.tmp', 'next-app-'))
      cpSync(join(root, 'test', 'frameworks', 'next', 'app'), dir, { recursive: true })
      await installBuiltPackage(root, dir)

      const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')
      const env = { SECRET_KEY: SECRET, NEXT_TELEMETRY_DISABLED: '1' }
      const build = start(process.execPath, [nextBin, 'build'], env, dir)
      const timer = setTimeout(() => build.kill(), BUILD_MS)
      const [code] = (await once(build, 'exit')) as [number | null]
      clearTimeout(timer)
      assert.equal(code, 0, `next build failed (or took over ${BUILD_MS / 1000} s):\n${log}`)

      const port = await reservePort()
      next = `http://127.0.0.1:${port}`
      start(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], env, dir)
      await waitForHttp(`${next}/untouched`, 60_000, () => log)
      await waitForHttp(`${fastapi}/read_session`, 60_000, () => log)
    },
    { timeout: BUILD_MS + 120_000 },
  )

  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill()
        await once(child, 'exit')
      }
    }
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  it("serves the seed's endpoints as Route Handlers, writing Starlette's cookie raw", async () => {
    const created = await get(`${next}/create_session`)
    assert.equal(created.status, 200)
    const header = sessionHeader(created)
    assert.match(header, /; path=\/; Max-Age=1209600; httponly; samesite=lax$/)
    const value = sessionCookie(created).slice('session='.length)
    assert.match(value, /^[A-Za-z0-9+/=]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    assert.equal(created.headers.get('cache-control'), 'private, no-store')

    const cookie = sessionCookie(created)
    const read = await get(`${next}/read_session`, cookie)
    assert.equal(read.text, '"1234"')
    assert.ok(variesOnCookie(read))
    hasNoSessionCookie(read)

    const deleted = await get(`${next}/delete_session`, cookie)
    assert.equal(deleted.text, '"1234"')
    assert.match(sessionHeader(deleted), /Max-Age=0/)
    const again = await get(`${next}/delete_session`, sessionCookie(deleted))
    assert.equal(again.status, 404)
    assert.deepEqual(JSON.parse(again.text), { detail: 'There is no session value to delete.' })
  })

  it('sends no Set-Cookie and no Vary: Cookie when a route leaves the session alone', async () => {
    const cookie = sessionCookie(await get(`${next}/create_session`))
    const untouched = await get(`${next}/untouched`, cookie)
    assert.equal(untouched.status, 200)
    hasNoSessionCookie(untouched)
    assert.equal(variesOnCookie(untouched), false)
  })

  it('signs in from a Server Action: "remember me" gives a persistent cookie, else a browser-session one', async () => {
    const remembered = await submitAction('/login', { user: 'ada', remember: 'on' })
    assert.equal(remembered.status, 303)
    assert.equal(remembered.headers.get('location'), '/account')
    assert.match(sessionHeader(remembered), /Max-Age=1209600/)

    const forgotten = await submitAction('/login', { user: 'bob' })
    assert.equal(forgotten.status, 303)
    assert.doesNotMatch(sessionHeader(forgotten), /Max-Age|Expires/i)

    // Server Components and the edge middleware read the cookie the action wrote.
    const account = await get(`${next}/account`, sessionCookie(remembered))
    assert.equal(account.status, 200)
    assert.match(account.text, /Account of ada/)
    assert.match((await get(`${next}/`, sessionCookie(forgotten))).text, /Signed in as bob/)
  })

  it('writes through cookies().set percent-encoded (Next.js encodes every value), and reads it back', async () => {
    const changed = await get(`${next}/change_in_route`)
    const value = sessionCookie(changed).slice('session='.length)
    assert.match(value, /%3D/, 'Next.js percent-encodes the base64 padding')
    const read = await get(`${next}/read_session`, sessionCookie(changed))
    assert.equal(read.text, '"through cookies()"')
  })

  it('shows the user in a Server Component, and refuses a change there, saying where changes belong', async () => {
    assert.match((await get(`${next}/`)).text, /Not signed in/)
    const refused = await get(`${next}/readonly`)
    assert.equal(refused.status, 200)
    assert.match(refused.text, /ReadOnlySession: session.set\(\) in a Server Component/)
    assert.match(refused.text, /Server Action/)
    hasNoSessionCookie(refused)
  })

  it("gives a Server Action the request's scheme: httpsOnly 'auto' behind a trusted proxy", async () => {
    const overHttps = await submitAction('/secure', { user: 'ada' }, undefined, {
      'x-forwarded-proto': 'https',
    })
    assert.equal(overHttps.status, 200)
    assert.match(sessionHeader(overHttps), /; secure/i)
    // Without a proxy's header Next.js writes the connection's own scheme: plain HTTP here.
    const overHttp = await submitAction('/secure', { user: 'bob' })
    assert.doesNotMatch(sessionHeader(overHttp), /; secure/i)
    // trustProxy: 1 believes the proxy's value (the last one), not what a client put before it.
    const spoofed = await submitAction('/secure', { user: 'eve' }, undefined, {
      'x-forwarded-proto': 'https, http',
    })
    assert.doesNotMatch(sessionHeader(spoofed), /; secure/i)
    // The Server Component reads the session the action wrote.
    assert.match((await get(`${next}/secure`, sessionCookie(overHttps))).text, /ada/)
  })

  it('writes a session split over several cookies from a Server Action, and reads it back', async () => {
    const grown = await submitAction('/split', {})
    const chunks = grown.setCookies.filter((c) => /^session\.\d=/.test(c)).map((c) => c.split(';')[0])
    assert.deepEqual(
      chunks.map((pair) => pair?.slice(0, pair.indexOf('='))),
      ['session.0', 'session.1'],
      JSON.stringify(grown.setCookies),
    )
    assert.match((await get(`${next}/split`, chunks.join('; '))).text, /big: 5000/)
  })

  it('redirects anonymous users from middleware on the edge runtime', async () => {
    const anonymous = await get(`${next}/account`)
    assert.equal(anonymous.status, 307)
    assert.match(anonymous.headers.get('location') ?? '', /\/login$/)
    const forged = await get(`${next}/account`, 'session=eyJ1c2VyIjoiZXZlIn0=.awxaVw.forged')
    assert.equal(forged.status, 307)
  })

  it('reads a cookie minted by the real FastAPI app, and FastAPI reads the one Next.js wrote', async () => {
    const fromPython = sessionCookie(await get(`${fastapi}/create_session`))
    assert.equal((await get(`${next}/read_session`, fromPython)).text, '"1234"')
    const fromNext = sessionCookie(await get(`${next}/create_session`))
    assert.equal((await get(`${fastapi}/read_session`, fromNext)).text, '"1234"')
  })

  it('turns hostile cookies into an empty session and a normal response', async () => {
    const cookie = sessionCookie(await get(`${next}/create_session`))
    for (const header of hostileCookieHeaders(cookie)) {
      const read = await get(`${next}/read_session`, header)
      assert.equal(read.status, 200, header)
      assert.equal(read.text, 'null', header)
      const page = await get(`${next}/`, header)
      assert.equal(page.status, 200, header)
      assert.match(page.text, /Not signed in/, header)
    }
  })

  it('refuses a session too large for a cookie with a clear error, and the old cookie stays', async () => {
    const cookie = sessionCookie(await get(`${next}/create_session`))
    log = ''
    const big = await get(`${next}/big`, cookie)
    assert.equal(big.status, 500)
    assert.deepEqual(JSON.parse(big.text), { detail: 'The session is too large to be stored in a cookie.' })
    hasNoSessionCookie(big)

    const action = await submitAction('/too-big', {}, cookie)
    assert.equal(action.status, 500)
    hasNoSessionCookie(action)
    assert.match(log, /too large|over the browser limit/i)
    assert.equal((await get(`${next}/read_session`, cookie)).text, '"1234"')
  })
})

it("docs/frameworks.md's Next.js quick start is the app under test, file by file", () => {
  const files = nextQuickstartFiles()
  assert.ok(files.length >= 5, `expected the quick start's files, found ${files.length}`)
  for (const { path, code } of files) {
    const file = readFileSync(join(root, 'test', 'frameworks', 'next', 'app', path), 'utf8')
    assert.equal(`${code}\n`, file, path)
  }
})
