/**
 * "Remember me" against a real browser restart: Chromium on a profile kept on disk is closed and
 * started again on the same profile, as a person closes and reopens their browser.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext } from 'playwright-core'
import {
  freshProfile,
  launchProfile,
  type RunningDemo,
  removeProfile,
  screenshot,
  sessionCookie,
  startDemo,
} from '../support/browser.ts'

let demo: RunningDemo
before(async () => {
  demo = await startDemo()
})
after(async () => {
  await demo?.close()
})

async function signIn(context: BrowserContext, remember: boolean): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage())
  await page.goto(`${demo.url}/signin`)
  await page.getByLabel('Name').fill(remember ? 'Remembered' : 'Passing by')
  await page.getByLabel('Password').fill('demo')
  await page.getByLabel('Remember me').setChecked(remember)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor()
}

/** Closes the browser, starts it again on the same profile, and opens the inspector. */
async function restart(context: BrowserContext, profile: string) {
  await context.close()
  const reopened = await launchProfile(profile)
  const page = reopened.pages()[0] ?? (await reopened.newPage())
  await page.goto(`${demo.url}/session`)
  return { context: reopened, page }
}

describe('browser restart (persistent profile)', () => {
  it('the test profile does not restore the last session on startup', () => {
    const profile = freshProfile()
    try {
      const prefs = JSON.parse(readFileSync(join(profile, 'Default', 'Preferences'), 'utf8'))
      assert.equal(prefs.session.restore_on_startup, 5, '5 = open the New Tab page')
    } finally {
      removeProfile(profile)
    }
  })

  it('why the profile says so: with "continue where you left off" Chromium restores session cookies', async () => {
    const profile = freshProfile(1)
    let context = await launchProfile(profile)
    try {
      await signIn(context, false)
      const reopened = await restart(context, profile)
      context = reopened.context
      assert.equal(
        (await sessionCookie(context, demo.url))?.expires,
        -1,
        'the browser-session cookie came back',
      )
    } finally {
      await context.close()
      removeProfile(profile)
    }
  })

  it('"remember me" checked: still signed in after the browser is closed and reopened', async () => {
    const profile = freshProfile()
    let context = await launchProfile(profile)
    try {
      await signIn(context, true)
      const reopened = await restart(context, profile)
      context = reopened.context
      assert.match((await reopened.page.locator('.account').textContent()) ?? '', /Signed in as Remembered/)
      const cookie = await sessionCookie(context, demo.url)
      assert.ok(cookie && cookie.expires > Date.now() / 1000, 'the persistent cookie came back from disk')
      await screenshot(reopened.page, 'restart-remembered')
    } finally {
      await context.close()
      removeProfile(profile)
    }
  })

  it('"remember me" unchecked: signed out after the browser is closed and reopened', async () => {
    const profile = freshProfile()
    let context = await launchProfile(profile)
    try {
      await signIn(context, false)
      assert.equal((await sessionCookie(context, demo.url))?.expires, -1, 'a browser-session cookie')
      // Still signed in while the browser stays open.
      const page = context.pages()[0] ?? (await context.newPage())
      await page.goto(`${demo.url}/`)
      assert.match((await page.locator('.account').textContent()) ?? '', /Signed in as Passing by/)

      const reopened = await restart(context, profile)
      context = reopened.context
      assert.equal(await sessionCookie(context, demo.url), undefined, 'Chromium dropped the session cookie')
      assert.match((await reopened.page.locator('.account').textContent()) ?? '', /Sign in/)
      await reopened.page.locator('#no-cookie').waitFor()
      await screenshot(reopened.page, 'restart-forgotten')
    } finally {
      await context.close()
      removeProfile(profile)
    }
  })
})
