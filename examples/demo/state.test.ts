import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CSRF_KEY, createSessionEngine, MAX_NAME_AND_VALUE_BYTES, PERSISTENT_KEY } from 'tessera-session'
import { cleanText, type DemoSession, LIMITS, truncate } from './state.ts'

describe('the demo session stays inside one cookie', () => {
  it('with every field at its cap in 4-byte characters, the cookie is under 4096 bytes', () => {
    const engine = createSessionEngine<DemoSession>({ secretKey: 'x'.repeat(32) })
    const wide = (n: number) => '🍪'.repeat(n)
    const full: DemoSession & Record<string, unknown> = {
      my_session: '1234',
      draft: { topic: 'feedback', subject: wide(LIMITS.subject), message: wide(LIMITS.message) },
      prefs: { theme: 'dark', lang: 'ru' },
      recent: ['earl-grey', 'espresso', 'dripper', 'sencha', 'filter'].slice(0, LIMITS.recent),
      user: { name: wide(LIMITS.userName), signedInAt: 1_800_000_000 },
      [CSRF_KEY]: 'x'.repeat(43), // csrfToken(): 32 bytes, base64url
      flash: 'draftSaved',
      [PERSISTENT_KEY]: false,
    }
    const setCookie = engine.serialize(full)
    const pair = setCookie.slice(0, setCookie.indexOf(';'))
    const size = Buffer.byteLength(pair) - 1 // name and value, without "="
    assert.ok(size < MAX_NAME_AND_VALUE_BYTES - 400, `${size} bytes leaves room to spare`)
  })

  it('form text is capped in characters without cutting a surrogate pair in half', () => {
    assert.equal(truncate('ab🍪cd', 3), 'ab🍪')
    assert.equal(cleanText('x'.repeat(1000), LIMITS.message, true).length, LIMITS.message)
  })

  it('control characters go (they cost 6 bytes each in JSON); newlines stay in multi-line text', () => {
    assert.equal(cleanText('a\u0001b\r\nc\td', 100, true), 'ab\nc\td')
    assert.equal(cleanText('  a\u0000b\nc  ', 100), 'a b c')
    assert.equal(cleanText(42, 100), '')
  })
})
