import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
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
