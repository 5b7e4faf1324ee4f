import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ensureChromium } from '../support/browser.ts'

describe('browser suite setup', () => {
  it('a browser that cannot be found after the install step fails the suite loudly (never a skip)', () => {
    assert.throws(
      () => ensureChromium('/nonexistent/chromium'),
      /needs Debian's chromium at \/nonexistent\/chromium; installing it failed/,
    )
  })

  it('Debian’s Chromium is there for the suite (installed first when it was missing)', () => {
    assert.doesNotThrow(() => ensureChromium())
  })
})
