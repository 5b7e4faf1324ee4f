import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { demoAndBrowser, screenshot } from '../support/browser.ts'

const suite = demoAndBrowser()

const listed = (page: Page, heading: string) =>
  page.locator(`aside h2:text-is("${heading}") + ol li a`).allTextContents()
const recommended = (page: Page) => listed(page, 'Recommended for you')
const recent = (page: Page) => listed(page, 'Recently viewed')

describe('the catalogue (browser)', () => {
  it('"recommended for you" follows the items viewed, most recent first, never suggesting a seen one', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/catalogue`)
    await page.getByText('View an item or two and suggestions appear here.').waitFor()
    assert.deepEqual(await recommended(page), [])
    await screenshot(page, 'catalogue-empty')

    await page.getByRole('link', { name: 'Sencha green tea' }).click()
    assert.deepEqual(await recommended(page), ['Milk oolong', 'Earl Grey', 'Clay teapot'])
    assert.deepEqual(await recent(page), ['Sencha green tea'])
    await screenshot(page, 'catalogue-item')

    // Two coffee views outweigh one tea view.
    await page.goto(`${suite.demo.url}/catalogue/espresso`)
    await page.goto(`${suite.demo.url}/catalogue/moka`)
    const afterCoffee = await recommended(page)
    // The dripper shares two tags with the latest view (moka), the filter roast two with the older one.
    assert.deepEqual(afterCoffee.slice(0, 2), ['Ceramic dripper', 'Filter roast'])
    for (const seen of ['Sencha green tea', 'Espresso beans', 'Moka pot'])
      assert.ok(!afterCoffee.includes(seen))
    assert.deepEqual(await recent(page), ['Moka pot', 'Espresso beans', 'Sencha green tea'])

    // The panel explains itself.
    await page.getByText('Because you viewed Moka pot').first().waitFor()
    await page.getByRole('link', { name: 'Back to the catalogue' }).click()
    assert.deepEqual(await recommended(page), afterCoffee, 'the list page shows the same suggestions')
    await screenshot(page, 'catalogue-recommendations')
    await context.close()
  })

  it('keeps only the last five views, and "Forget what I viewed" empties the panel', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    for (const slug of ['sencha', 'oolong', 'earl-grey', 'teapot', 'cups', 'espresso']) {
      await page.goto(`${suite.demo.url}/catalogue/${slug}`)
    }
    assert.deepEqual(await recent(page), [
      'Espresso beans',
      'Tea cups, set of four',
      'Clay teapot',
      'Earl Grey',
      'Milk oolong',
    ])
    await page.getByText('Only the last 5 are kept').waitFor()
    await page.getByRole('button', { name: 'Forget what I viewed' }).click()
    assert.equal(new URL(page.url()).pathname, '/catalogue')
    assert.deepEqual(await recent(page), [])
    assert.deepEqual(await recommended(page), [])
    await context.close()
  })

  it('an unknown item is a 404 page, not an error', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    const response = await page.goto(`${suite.demo.url}/catalogue/no-such-thing`)
    assert.equal(response?.status(), 404)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    await screenshot(page, 'not-found')
    await context.close()
  })
})
