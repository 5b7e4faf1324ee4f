import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ConfigError, createSessionEngine } from 'tessera-session'
import { createDemoApp } from './app.ts'
import { demoConfig } from './config.ts'

const STRONG = 'demo-secret-demo-secret-demo-secret!'
const random = () => 'r'.repeat(44)

/** A cookie for the seed's `my_session`, signed with `secret` alone. */
function cookieSignedWith(t: TestContext, secret: string): string {
  t.mock.method(console, 'warn', () => {}) // a short secret warns when its engine is made
  const setCookie = createSessionEngine({ secretKey: secret, allowWeakSecret: true }).serialize({
    my_session: 'from FastAPI',
  })
  return setCookie.slice(0, setCookie.indexOf(';'))
}

describe('npm start’s environment', () => {
  it('defaults to 127.0.0.1:8000 and a random secret, and says so', () => {
    assert.deepEqual(demoConfig({}, random), {
      host: '127.0.0.1',
      port: 8000,
      options: { secretKey: random() },
      randomSecret: true,
    })
    assert.deepEqual(demoConfig({ HOST: '0.0.0.0', PORT: '9000', SECRET_KEY: STRONG }, random), {
      host: '0.0.0.0',
      port: 9000,
      options: { secretKey: STRONG },
      randomSecret: false,
    })
  })

  it('SECRET_KEY_FALLBACKS: older keys after SECRET_KEY, comma-separated, spaces and empty entries ignored', () => {
    const { options } = demoConfig({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: 'old1, old2,,' }, random)
    assert.deepEqual(options.secretKey, [STRONG, 'old1', 'old2'])
    assert.deepEqual(demoConfig({ SECRET_KEY_FALLBACKS: 'old1' }, random).options.secretKey, [
      random(),
      'old1',
    ])
  })

  it('a cookie signed with a fallback key is read, and re-issued with SECRET_KEY; the fallback never signs', async (t) => {
    const app = createDemoApp(demoConfig({ SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: 'old-weak' }).options)
    const response = await app.request('/read_session', {
      headers: { cookie: cookieSignedWith(t, 'old-weak') },
    })
    assert.equal(await response.json(), 'from FastAPI')
    const reissued = (response.headers.get('set-cookie') ?? '').split(';')[0] as string
    assert.notEqual(reissued, '')
    const onlyNew = createDemoApp({ secretKey: STRONG })
    const again = await onlyNew.request('/read_session', { headers: { cookie: reissued } })
    assert.equal(await again.json(), 'from FastAPI', 're-issued with SECRET_KEY')
  })

  it('a short SECRET_KEY (a FastAPI app’s) is refused unless ALLOW_WEAK_SECRET=1, which warns once', async (t) => {
    const warn = t.mock.method(console, 'warn', () => {})
    const env = { SECRET_KEY: 'fastapi-secret' }
    assert.throws(
      () => createDemoApp(demoConfig(env).options),
      /14 characters, shorter than 32.*allowWeakSecret/,
    )
    assert.equal(demoConfig({ ...env, ALLOW_WEAK_SECRET: '0' }).options.allowWeakSecret, undefined)
    const options = demoConfig({ ...env, ALLOW_WEAK_SECRET: '1' }).options
    assert.deepEqual(options, { secretKey: 'fastapi-secret', allowWeakSecret: true })
    const app = createDemoApp(options)
    assert.equal(warn.mock.callCount(), 1)
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /WEAK SECRET/)
    const response = await app.request('/read_session', {
      headers: { cookie: cookieSignedWith(t, 'fastapi-secret') },
    })
    assert.equal(await response.json(), 'from FastAPI', 'the FastAPI app’s sessions are shared')
  })

  it('refuses values it cannot read, naming the variable', () => {
    assert.throws(() => demoConfig({ ALLOW_WEAK_SECRET: 'maybe' }), ConfigError)
    assert.throws(
      () => demoConfig({ ALLOW_WEAK_SECRET: 'maybe' }),
      /^ConfigError: ALLOW_WEAK_SECRET: "maybe"/,
    )
    assert.throws(() => demoConfig({ PORT: 'http' }), /^ConfigError: PORT: "http" is not a port number/)
    assert.equal(demoConfig({ ALLOW_WEAK_SECRET: 'TRUE', SECRET_KEY: STRONG }).options.allowWeakSecret, true)
  })
})
