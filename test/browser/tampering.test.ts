/**
 * A cookie the server did not sign, put into the browser's cookie jar, must give a fresh session and
 * a normal page: never an error page.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { BrowserContext } from 'playwright-core'
import { demoAndBrowser, screenshot, sessionCookie } from '../support/browser.ts'
import { signPayload } from '../support/cookies.ts'

const suite = demoAndBrowser()

const PAGES = ['/', '/draft', '/catalogue', '/catalogue/sencha', '/preferences', '/signin', '/session']

async function signedInContext(): Promise<{ context: BrowserContext; value: string }> {
  const context = await suite.browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  await page.goto(`${suite.demo.url}/signin`)
  await page.getByLabel('Name').fill('Eve')
  await page.getByLabel('Password').fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor()
  const cookie = await sessionCookie(context, suite.demo.url)
  assert.ok(cookie)
  return { context, value: cookie.value }
}

/** Replaces the session cookie in the browser's jar. */
async function plant(context: BrowserContext, value: string): Promise<void> {
  await context.addCookies([{ name: 'session', value, url: suite.demo.url, httpOnly: true, sameSite: 'Lax' }])
}

/** Changes one character of the payload, keeping it valid base64. */
function alter(value: string): string {
  const [payload = '', ...rest] = value.split('.')
  const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11)
  return [flipped, ...rest].join('.')
}

describe('tampered cookies (browser)', () => {
  const forgeries: [string, (value: string) => string][] = [
    ['a payload changed after signing', alter],
    [
      'a valid signature with another secret',
      () =>
        signPayload(
          'another-secret-another-secret-another!',
          btoa('{"user":{"name":"admin"}}'),
          Math.floor(Date.now() / 1000),
        ),
    ],
    ['garbage', () => 'not-a-cookie-at-all'],
  ]
  for (const [name, forge] of forgeries) {
    it(`${name}: every page answers normally with a fresh, signed-out session`, async () => {
      const { context, value } = await signedInContext()
      await plant(context, forge(value))
      const page = await context.newPage()
      for (const path of PAGES) {
        const response = await page.goto(`${suite.demo.url}${path}`)
        assert.equal(response?.status(), 200, path)
        assert.match((await page.locator('.account').textContent()) ?? '', /Sign in/, path)
      }
      // The inspector says why: the cookie came but was ignored.
      await plant(context, forge(value))
      await page.goto(`${suite.demo.url}/session`)
      await page.locator('#rejected').waitFor()
      assert.equal((await page.locator('#decoded').textContent())?.trim(), '{}')
      if (name === 'garbage') await screenshot(page, 'session-tampered')
      await context.close()
    })
  }

  it('a form posted with the old token after tampering is refused with a page, not an error', async () => {
    const { context, value } = await signedInContext()
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/draft`)
    await plant(context, alter(value))
    await page.getByLabel('Subject').fill('after tampering')
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.request().resourceType() === 'document',
      ),
      page.getByRole('button', { name: 'Save draft' }).click(),
    ])
    assert.equal(response.status(), 403)
    await page.getByRole('heading', { name: 'Form expired' }).waitFor()
    await screenshot(page, 'form-expired')
    await context.close()
  })
})
