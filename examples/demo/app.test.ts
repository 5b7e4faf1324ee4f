import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, it } from 'node:test'
import { request, waitForHttp } from '../../test/support/http.ts'
import { reservePort } from '../../test/support/ports.ts'
import { createDemoApp } from './app.ts'

const app = createDemoApp({ secretKey: 'demo-secret-demo-secret-demo-secret!' })
const call = async (path: string, cookie?: string) => {
  const response = await app.request(path, cookie === undefined ? {} : { headers: { cookie } })
  return { status: response.status, body: await response.json(), setCookie: response.headers.getSetCookie() }
}

describe('the seed’s endpoints', () => {
  it('create, read and delete, as the seed describes', async () => {
    const created = await call('/create_session')
    assert.equal(created.body, 'ok')
    const cookie = (created.setCookie[0] as string).split(';')[0] as string
    assert.equal((await call('/read_session', cookie)).body, '1234')
    const deleted = await call('/delete_session', cookie)
    assert.equal(deleted.body, '1234')
    assert.match(deleted.setCookie[0] as string, /^session=null;.*expires=Thu, 01 Jan 1970/)
  })

  it('read without a session answers null, delete answers a JSON 404 (not the seed’s 500)', async () => {
    assert.deepEqual(await call('/read_session'), { status: 200, body: null, setCookie: [] })
    const deleted = await call('/delete_session', 'session=tampered')
    assert.equal(deleted.status, 404)
    assert.deepEqual(deleted.body, { detail: 'There is no session value to delete.' })
  })
})

describe('npm start', () => {
  it('without SECRET_KEY warns that sessions will not survive a restart, and serves the endpoints', async () => {
    const port = await reservePort()
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' }
    delete env.SECRET_KEY
    const server = spawn(
      process.execPath,
      ['--conditions=tessera-session-source', '--import', 'tsx', 'examples/demo/server.ts'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    server.stdout.on('data', (chunk) => (output += chunk))
    server.stderr.on('data', (chunk) => (output += chunk))
    try {
      await waitForHttp(`http://127.0.0.1:${port}/read_session`, 60_000, () => output)
      assert.match(output, /SECRET_KEY is not set/)
      assert.match(output, /will NOT survive a restart/)
      assert.equal((await request(`http://127.0.0.1:${port}/create_session`)).body, 'ok')
    } finally {
      server.kill()
    }
  })
})
