/**
 * docs/stores.md's quick start is copy-paste runnable: the first `ts` block after "## Quick start" is
 * written to a file, started as its own process (SQLite file in its own directory) and driven over HTTP.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { CookieClient } from '../support/app.ts'
import { reservePort } from '../support/ports.ts'
import { storesQuickstart } from '../support/quickstarts.ts'
import { uniqueName } from '../support/services.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Inside the repository, so `tsx` and `tessera-session/...` resolve as in an app that installed them
// (`tessera-session-source` maps them to src/, no build needed).
const dir = join(root, '.tmp', uniqueName('stores-quickstart'))

/** The `createStoreEngine({...})` call of a snippet, comments and the `store:` line left out. */
function engineOptions(snippet: string): string {
  const call = /createStoreEngine\(\{\n([\s\S]*?)\n\}\)/.exec(snippet)?.[1] ?? ''
  return call
    .split('\n')
    .filter((line) => !/^\s*store\b/.test(line))
    .map((line) => line.replace(/\s*\/\/.*$/, ''))
    .join('\n')
}

describe('docs/stores.md quick start', { timeout: 60_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('has Redis and PostgreSQL variants that change only the store', () => {
    const markdown = readFileSync(join(root, 'docs/stores.md'), 'utf8')
    const code = storesQuickstart()
    const variants = [
      ...markdown.matchAll(/```ts\n(import \{ (?:redis|postgres)Store[^\n]*in place of[\s\S]*?)\n```/g),
    ].map((match) => match[1] as string)
    assert.equal(variants.length, 2)
    assert.match(engineOptions(code ?? ''), /secretKey: .*\n.*idleTimeout/)
    for (const variant of variants) {
      assert.equal(engineOptions(variant), engineOptions(code ?? ''), variant)
    }
  })

  it('runs: sign in with "remember me", list devices, log out everywhere, log out', async () => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'app.ts'), storesQuickstart())
    const port = await reservePort()
    const child = spawn(
      process.execPath,
      ['--conditions=tessera-session-source', '--import', 'tsx', 'app.ts'],
      {
        cwd: dir,
        env: { ...process.env, PORT: String(port), SECRET_KEY: 'docs-stores-secret-0123456789abcdefghij' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    try {
      const url = `http://127.0.0.1:${port}`
      const answers = () =>
        fetch(url).then(
          () => true,
          () => false,
        )
      // tsx compiles the app first: slow on a loaded machine, so the wait is long.
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && !(await answers()); ) {
        assert.equal(child.exitCode, null, stderr)
        await sleep(100)
      }
      const post = async (client: CookieClient, path: string) => {
        const response = await fetch(url + path, {
          method: 'POST',
          headers: client.cookie ? { cookie: client.cookie } : {},
        })
        const setCookie = response.headers.getSetCookie()[0]
        if (setCookie !== undefined)
          client.cookie = /Max-Age=0/.test(setCookie) ? undefined : setCookie.split(';')[0]
        return { status: response.status, body: (await response.json()) as unknown, setCookie }
      }
      const laptop = new CookieClient(url)
      const phone = new CookieClient(url)
      const signIn = await post(laptop, '/login?remember=1')
      assert.match(signIn.setCookie ?? '', /Max-Age=43200; httponly; samesite=lax/)
      assert.doesNotMatch((await post(phone, '/login')).setCookie ?? '', /Max-Age/)
      assert.deepEqual((await laptop.get('/')).body, { user: 'alice' })
      const devices = (await laptop.get('/devices')).body as { thisDevice: boolean }[]
      assert.deepEqual(devices.map((d) => d.thisDevice).sort(), [false, true])
      assert.deepEqual((await post(laptop, '/logout-everywhere')).body, { ended: 1 })
      assert.deepEqual((await phone.get('/')).body, { user: null })
      assert.equal((await post(laptop, '/logout')).status, 200)
      assert.deepEqual((await laptop.get('/')).body, { user: null })
    } finally {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
    }
  })
})
