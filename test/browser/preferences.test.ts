import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { demoAndBrowser, screenshot } from '../support/browser.ts'
import { contrasts } from '../support/contrast.ts'

const suite = demoAndBrowser()

const PAGES = ['/', '/draft', '/catalogue', '/catalogue/oolong', '/signin', '/session']

async function assertReadable(page: Page, where: string): Promise<void> {
  for (const { what, ratio } of await contrasts(page)) {
    assert.ok(ratio >= 4.5, `${where}: "${what}" has contrast ${ratio}:1, below WCAG AA 4.5:1`)
  }
}

describe('preferences (browser)', () => {
  it('dark theme and Russian, once saved, shape every page and persist across pages and reloads', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}/`)
    await assertReadable(page, 'light /')
    await screenshot(page, 'home')
    await page.goto(`${suite.demo.url}/preferences`)
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    await assertReadable(page, 'light /preferences')
    await screenshot(page, 'preferences-light-en')

    await page.getByLabel('Dark').check()
    await page.getByLabel('Русский').check()
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.getByRole('status').filter({ hasText: 'Настройки сохранены.' }).waitFor()
    await screenshot(page, 'preferences-dark-ru')

    for (const path of PAGES) {
      await page.goto(`${suite.demo.url}${path}`)
      assert.equal(await page.getAttribute('html', 'lang'), 'ru', path)
      assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', path)
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      assert.equal(background, 'rgb(18, 20, 23)', `${path} is dark`)
      assert.ok(await page.getByRole('navigation', { name: 'Главное меню' }).isVisible(), path)
      await assertReadable(page, `dark ${path}`)
      await screenshot(page, `dark-ru${path === '/' ? '-home' : path.replaceAll('/', '-')}`)
    }

    // A new tab of the same browser has the same cookie, so the same preferences.
    const other = await context.newPage()
    await other.goto(`${suite.demo.url}/`)
    assert.equal(await other.getAttribute('html', 'lang'), 'ru')
    assert.equal(await other.getAttribute('html', 'data-theme'), 'dark')
    await context.close()
  })

  it('pages load nothing from other origins (no CDN: the demo works offline)', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const requested: string[] = []
    context.on('request', (request) => requested.push(request.url()))
    const page = await context.newPage()
    for (const path of PAGES) await page.goto(`${suite.demo.url}${path}`)
    assert.ok(requested.some((url) => url.endsWith('/static/style.css')))
    assert.ok(requested.some((url) => url.endsWith('/static/draft.js')))
    assert.deepEqual(
      requested.filter((url) => !url.startsWith(`${suite.demo.url}/`)),
      [],
    )
    await context.close()
  })

  it('"auto" follows the system colour scheme and the browser language, and is readable in both', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await suite.browser.newContext({ locale: 'ru-RU', colorScheme })
      const page = await context.newPage()
      for (const path of PAGES) {
        await page.goto(`${suite.demo.url}${path}`)
        assert.equal(
          await page.getAttribute('html', 'lang'),
          'ru',
          `Accept-Language picks Russian on ${path}`,
        )
        await assertReadable(page, `auto/${colorScheme} ${path}`)
      }
      await screenshot(page, `auto-${colorScheme}-session`)
      await context.close()
    }
  })
})
