import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { demoAndBrowser, screenshot, sessionCookie } from '../support/browser.ts'

const suite = demoAndBrowser()

async function signIn(page: Page, name: string, remember: boolean): Promise<void> {
  await page.goto(`${suite.demo.url}/signin`)
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Password').fill('demo')
  await page.getByLabel('Remember me').setChecked(remember)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor()
}

/** An element's text, empty when it is missing. */
const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? ''
const focusedId = (page: Page) => page.evaluate('document.activeElement?.id ?? ""')

describe('sign in and sign out (browser)', () => {
  it('the session cookie is HttpOnly: the browser has it, page scripts cannot see it', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/draft`)
    const cookie = await sessionCookie(context, suite.demo.url)
    assert.ok(cookie, 'visiting a form page set the session cookie')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(await page.evaluate('document.cookie'), '')
    await context.close()
  })

  it('sign-in regenerates the session; without "remember me" the cookie is a browser-session one', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/signin`)
    const tokenBefore = await page.inputValue('form[action="/signin"] input[name="_csrf"]')
    const cookieBefore = await sessionCookie(context, suite.demo.url)
    await signIn(page, 'Ada Lovelace', false)

    assert.equal(new URL(page.url()).pathname, '/session')
    const cookie = await sessionCookie(context, suite.demo.url)
    assert.ok(cookie)
    assert.notEqual(cookie.value, cookieBefore?.value, 'a new cookie was issued')
    assert.equal(cookie.expires, -1, 'no Max-Age/Expires: a browser-session cookie')
    assert.match(await text(page, '#kind'), /Browser session/)
    assert.match(await text(page, '#expires'), /When the browser closes/)
    assert.match(await text(page, '.account'), /Signed in as Ada Lovelace/)
    const decoded = JSON.parse(await text(page, '#decoded'))
    assert.equal(decoded.user.name, 'Ada Lovelace')
    assert.equal(decoded['_tessera.persistent'], false)
    assert.notEqual(decoded['_tessera.csrf'], tokenBefore, 'the CSRF token was rotated')
    await screenshot(page, 'session-signed-in')
    await context.close()
  })

  it('with "remember me" the cookie is persistent, expiring when the inspector says', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    // The server stamps the cookie and the browser dates its expiry somewhere in this window, which a
    // loaded machine can stretch to seconds.
    const started = Date.now() / 1000
    await signIn(page, 'Grace', true)
    const signedIn = Date.now() / 1000
    const cookie = await sessionCookie(context, suite.demo.url)
    assert.ok(cookie)
    assert.ok(
      cookie.expires > started + 13 * 86400 && cookie.expires <= signedIn + 14 * 86400 + 60,
      String(cookie.expires),
    )
    assert.match(await text(page, '#kind'), /Persistent/)
    const expires = await page.locator('#expires time').getAttribute('datetime')
    assert.ok(expires !== null)
    // The page's time comes from the cookie's issue time, in whole seconds: one more second of slack.
    assert.ok(
      Math.abs(Date.parse(expires) / 1000 - cookie.expires) <= signedIn - started + 1,
      `the page tells the cookie’s expiry: ${expires} vs ${cookie.expires}`,
    )
    await context.close()
  })

  it('sign-out clears the session: the cookie is deleted and preferences are gone', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/preferences`)
    await page.getByLabel('Dark').check()
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await signIn(page, 'Alan', true)
    assert.ok(await sessionCookie(context, suite.demo.url))

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('status').filter({ hasText: 'Signed out.' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/')
    assert.equal(await sessionCookie(context, suite.demo.url), undefined, 'the browser deleted the cookie')
    assert.equal(await page.getAttribute('html', 'data-theme'), 'auto')
    await screenshot(page, 'signed-out')
    await context.close()
  })

  it('a wrong password is reported in the form, accessibly, and signs nobody in', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/signin`)
    await page.getByLabel('Name').fill('Mallory')
    await page.getByLabel('Password').fill('guess')
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ])
    assert.equal(response.status(), 400)
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor()
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true')
    assert.equal(await page.inputValue('#name'), 'Mallory', 'the name is kept')
    assert.match(await text(page, '.account'), /Sign in/)
    await screenshot(page, 'signin-error')
    await context.close()
  })

  it('the sign-in form works with the keyboard alone, with a visible focus ring', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/signin`)
    await screenshot(page, 'signin')
    // From the top of the page: skip link, navigation, header button... until the name field.
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content')
    await page.keyboard.press('Enter')
    let presses = 0
    while ((await focusedId(page)) !== 'name') {
      assert.ok(++presses <= 10, 'Tab reaches the name field from the main content')
      await page.keyboard.press('Tab')
    }
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')
    assert.notEqual(outline, 'none', 'the focused field shows a focus ring')
    await screenshot(page, 'signin-keyboard-focus')
    await page.keyboard.type('Keyboard User')
    await page.keyboard.press('Tab')
    assert.equal(await focusedId(page), 'password')
    await page.keyboard.type('demo')
    await page.keyboard.press('Tab')
    assert.equal(await focusedId(page), 'remember')
    await page.keyboard.press('Space')
    assert.equal(await page.isChecked('#remember'), true)
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Sign in')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor()
    assert.match(await text(page, '.account'), /Signed in as Keyboard User/)
    assert.match(await text(page, '#kind'), /Persistent/)
    await context.close()
  })
})
