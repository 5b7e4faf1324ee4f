import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createDemoApp } from './app.ts'
import { recommend } from './catalogue.ts'
import { escapeHtml, html } from './html.ts'
import { pickLanguage } from './i18n.ts'

const app = createDemoApp({ secretKey: 'demo-secret-demo-secret-demo-secret!' })
const ORIGIN = 'http://localhost'

/** A GET that returns the session cookie and the form's CSRF token. */
async function formPage(path: string, cookie?: string) {
  const response = await app.request(path, cookie === undefined ? {} : { headers: { cookie } })
  const body = await response.text()
  const setCookie = response.headers.getSetCookie()[0]
  return {
    status: response.status,
    body,
    cookie: setCookie === undefined ? cookie : setCookie.slice(0, setCookie.indexOf(';')),
    token: body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '',
  }
}

function post(path: string, form: Record<string, string>, headers: Record<string, string>) {
  return app.request(path, { method: 'POST', body: new URLSearchParams(form), headers })
}

describe('HTML templates', () => {
  it('escape interpolated text, attributes included, and nest templates without double escaping', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    const inner = html`<b>${'<i>'}</b>`
    assert.equal(
      html`<p title="${'"x"'}">${inner}${['<', html`<br>`]}</p>`.toString(),
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br></p>',
    )
  })
})

describe('language', () => {
  it('a chosen language wins; else Accept-Language by q-value; else English', () => {
    assert.equal(pickLanguage('ru', 'en'), 'ru')
    assert.equal(pickLanguage(undefined, 'de-DE, ru;q=0.8, en;q=0.5'), 'ru')
    assert.equal(pickLanguage(undefined, 'en;q=0.2, ru-RU;q=0.9'), 'ru')
    assert.equal(pickLanguage(undefined, 'ru;q=0, fr'), 'en')
    assert.equal(pickLanguage(undefined, undefined), 'en')
  })
})

describe('recommendations', () => {
  it('suggest unseen items sharing tags with recent views, the latest view weighing most', () => {
    assert.deepEqual(recommend([]), [])
    const afterTea = recommend(['sencha']).map((r) => r.item.slug)
    assert.deepEqual(afterTea, ['oolong', 'earl-grey', 'teapot'])
    const mixed = recommend(['moka', 'sencha']).map((r) => r.item.slug)
    assert.equal(mixed[0], 'dripper')
    assert.ok(!mixed.includes('moka') && !mixed.includes('sencha'))
    assert.deepEqual(recommend(['no-such-item']), [])
  })
})

describe('forms are protected against cross-site requests', () => {
  it('a same-origin POST with the session’s token is accepted (303 back to the page)', async () => {
    const page = await formPage('/draft')
    const response = await post(
      '/draft',
      { _csrf: page.token, subject: 'hi', intent: 'save' },
      { cookie: page.cookie ?? '', origin: ORIGIN },
    )
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/draft')
  })

  it('refuses a POST from another origin, even with the right token and cookie', async () => {
    const page = await formPage('/draft')
    const response = await post(
      '/draft',
      { _csrf: page.token, subject: 'hi' },
      { cookie: page.cookie ?? '', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    )
    assert.equal(response.status, 403)
  })

  it('refuses a same-origin POST without the token, or with another session’s, with a page', async () => {
    const page = await formPage('/draft')
    const other = await formPage('/draft')
    for (const token of ['', other.token]) {
      const response = await post(
        '/draft',
        { _csrf: token, subject: 'hi' },
        { cookie: page.cookie ?? '', origin: ORIGIN },
      )
      assert.equal(response.status, 403)
      assert.match(await response.text(), /<h1>Form expired<\/h1>/)
    }
  })

  it('refuses JSON bodies, which carry no form token', async () => {
    const page = await formPage('/preferences')
    const response = await app.request('/preferences', {
      method: 'POST',
      body: JSON.stringify({ _csrf: page.token, theme: 'dark' }),
      headers: { cookie: page.cookie ?? '', 'content-type': 'application/json', origin: ORIGIN },
    })
    assert.equal(response.status, 403)
  })

  it('leaves routes other than the forms alone: a JSON API added beside the pages is not guarded', async () => {
    const withApi = createDemoApp({ secretKey: 'demo-secret-demo-secret-demo-secret!' })
    withApi.post('/api/echo', async (c) => c.json(await c.req.json()))
    const response = await withApi.request('/api/echo', {
      method: 'POST',
      body: JSON.stringify({ ok: true }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { ok: true })
  })
})

describe('pages', () => {
  it('every page answers 200 with a language, a main landmark and no inline script', async () => {
    for (const path of [
      '/',
      '/draft',
      '/catalogue',
      '/catalogue/moka',
      '/preferences',
      '/signin',
      '/session',
    ]) {
      const { status, body } = await formPage(path)
      assert.equal(status, 200, path)
      assert.match(body, /<html lang="en" data-theme="auto">/, path)
      assert.match(body, /<main id="main"/, path)
      assert.doesNotMatch(body, /<script>/, path)
    }
  })

  it('send a Content-Security-Policy that allows only this origin’s scripts and styles', async () => {
    const response = await app.request('/')
    const csp = response.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self'/)
    assert.match(csp, /frame-ancestors 'none'/)
  })

  it('a draft longer than the cap is cut to it on the server, whatever the browser sent', async () => {
    const page = await formPage('/draft')
    const saved = await post(
      '/draft',
      { _csrf: page.token, subject: 's'.repeat(500), message: 'm'.repeat(5000), intent: 'autosave' },
      { cookie: page.cookie ?? '', origin: ORIGIN },
    )
    assert.equal(saved.status, 204)
    const setCookie = saved.headers.getSetCookie()[0] ?? ''
    const again = await formPage('/draft', setCookie.slice(0, setCookie.indexOf(';')))
    assert.match(again.body, new RegExp(`value="${'s'.repeat(80)}"`))
    assert.match(again.body, new RegExp(`>${'m'.repeat(400)}</textarea>`))
  })

  it('a body over 16 KB is refused with 413 before it is parsed', async () => {
    const page = await formPage('/draft')
    const response = await post(
      '/draft',
      { _csrf: page.token, message: 'm'.repeat(20_000) },
      { cookie: page.cookie ?? '', origin: ORIGIN },
    )
    assert.equal(response.status, 413)
  })

  it('the body limit applies to every method that sends a body; GET skips it and is served', async () => {
    const page = await formPage('/draft')
    const headers = { cookie: page.cookie ?? '', origin: ORIGIN }
    const body = new URLSearchParams({ _csrf: page.token, message: 'm'.repeat(20_000) })
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await app.request('/draft', { method, body, headers })
      assert.equal(response.status, 413, method)
    }
    // GET routes never read a body, so the limit (which would build a whole Request) is skipped.
    const read = await app.request('/read_session', { method: 'GET', headers })
    assert.equal(read.status, 200)
  })
})
