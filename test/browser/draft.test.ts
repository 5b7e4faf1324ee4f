import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { demoAndBrowser, screenshot } from '../support/browser.ts'

const suite = demoAndBrowser()

// Markup characters and Cyrillic, to see them come back exactly (escaped on the way out, not mangled).
const SUBJECT = 'Tea & <b>coffee</b> "quoted"'
const MESSAGE = 'Здравствуйте!\nI would like <script>alert(1)</script> two cups.'

describe('the letter form (browser)', () => {
  it('with JavaScript, a typed draft is saved as you type and survives a reload and other pages', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/draft`)
    await page.selectOption('#topic', 'order')
    // The last background save carries the whole form, message included.
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('two cups'),
    )
    await page.fill('#subject', SUBJECT)
    await page.fill('#message', MESSAGE)
    assert.equal((await saved).status(), 204)
    await page.getByText('Draft saved automatically.').waitFor()

    await page.reload()
    assert.equal(await page.inputValue('#subject'), SUBJECT)
    assert.equal(await page.inputValue('#message'), MESSAGE)
    assert.equal(await page.inputValue('#topic'), 'order')
    assert.equal(await page.locator('script:not([src])').count(), 0, 'the message was not rendered as markup')

    await page.getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('link', { name: 'Letter' }).click()
    assert.equal(await page.inputValue('#subject'), SUBJECT)
    assert.equal(await page.inputValue('#message'), MESSAGE)
    await screenshot(page, 'draft')
    await context.close()
  })

  it('with JavaScript, text typed just before leaving the page is not lost (sent as the page hides)', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/draft`)
    await page.fill('#subject', 'typed in a hurry')
    // Leave at once, before the background save's short delay: the page sends a beacon as it hides.
    await page.getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('link', { name: 'Letter' }).click()
    // The beacon and this page's request travel side by side; reload until the beacon has landed,
    // however long a loaded machine takes to deliver it.
    for (
      const deadline = Date.now() + 30_000;
      (await page.inputValue('#subject')) === '' && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      await page.reload()
    }
    assert.equal(await page.inputValue('#subject'), 'typed in a hurry')
    await context.close()
  })

  it('without JavaScript, "Save draft" keeps it (POST, redirect, GET), and "Send" clears it', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US', javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/draft`)
    await page.fill('#subject', 'No script here')
    await page.fill('#message', 'Saved by the button.')
    await page.getByRole('button', { name: 'Save draft' }).click()
    assert.equal(new URL(page.url()).pathname, '/draft')
    await page.getByRole('status').filter({ hasText: 'Draft saved.' }).waitFor()
    await screenshot(page, 'draft-saved-no-js')

    await page.reload()
    assert.equal(await page.inputValue('#subject'), 'No script here')
    assert.equal(await page.getByText('Draft saved.').count(), 0, 'the message was shown once')

    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('status').filter({ hasText: 'Thank you!' }).waitFor()
    assert.equal(await page.inputValue('#subject'), '')
    assert.equal(await page.inputValue('#message'), '')
    await context.close()
  })
})
