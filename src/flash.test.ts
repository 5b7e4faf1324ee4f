/**
 * Flash messages on a bare session, then through the cookie engine in every format and through the
 * store engine: set on one request, shown once on the next that reads them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setCookiesOf } from './adapters/commit.ts'
import { cached } from './codec/cached.ts'
import type { CookieFormat } from './codec/format.ts'
import { sealed } from './codec/sealed.ts'
import { starlette } from './codec/starlette.ts'
import { CookieEngine } from './cookie-engine.ts'
import type { Engine } from './engine.ts'
import { FLASHES_KEY } from './flash.ts'
import { SessionState } from './session-state.ts'
import { memoryStore } from './stores/memory.ts'
import { createStoreEngine } from './stores/store-engine.ts'

const SECRET = 'flash-test-secret-0123456789abcdefghijklm'
const NOW = 1_800_000_000_000

function loaded(data: Record<string, unknown>) {
  const state = new SessionState(() => ({ data, json: JSON.stringify(data), issuedAt: 1, keyIndex: 0 }))
  return { s: state.session, state }
}

describe('session.flash / session.flashes', () => {
  it("stores [category, message] pairs under Flask's key, 'message' by default", () => {
    const { s } = loaded({})
    s.flash('Saved.')
    s.flash('error', 'Try again.')
    assert.deepEqual(s.data, {
      [FLASHES_KEY]: [
        ['message', 'Saved.'],
        ['error', 'Try again.'],
      ],
    })
  })

  it('returns the messages once, in order, and changes the session only when it took some', () => {
    const { s, state } = loaded({ user: 'ada' })
    assert.deepEqual(s.flashes(), [])
    assert.equal(state.changed, false, 'no flashes to take: nothing to write')
    s.flash('one')
    s.flash('warning', 'two')
    const { s: next, state: nextState } = loaded(JSON.parse(JSON.stringify(s.data)))
    assert.deepEqual(next.flashes(), [
      { category: 'message', message: 'one' },
      { category: 'warning', message: 'two' },
    ])
    assert.equal(nextState.changed, true)
    assert.deepEqual(next.data, { user: 'ada' }, 'the key is removed with its last flash')
    assert.deepEqual(next.flashes(), [])
  })

  it('takes only the category asked for, leaving the others for later', () => {
    const { s } = loaded({})
    s.flash('error', 'bad')
    s.flash('info', 'fyi')
    s.flash('error', 'worse')
    assert.deepEqual(
      s.flashes('error').map((f) => f.message),
      ['bad', 'worse'],
    )
    assert.deepEqual(s.flashes(), [{ category: 'info', message: 'fyi' }])
  })

  it('is typed: any JSON message, read back with its type', () => {
    type Notice = { text: string; field?: string }
    const { s } = loaded({})
    s.flash<Notice>('error', { text: 'taken', field: 'email' })
    const [notice] = s.flashes<Notice>('error')
    assert.equal(notice?.message.field, 'email')
  })

  it('reads what Flask writes: tuples tagged {" t": [...]}, and drops entries of another shape', () => {
    const { s } = loaded({
      [FLASHES_KEY]: [
        { ' t': ['message', 'from Flask'] },
        ['error', 'plain'],
        'junk',
        [1, 2],
        { a: 1 },
        ['x'],
      ],
    })
    assert.deepEqual(s.flashes(), [
      { category: 'message', message: 'from Flask' },
      { category: 'error', message: 'plain' },
    ])
    assert.equal(s.has(FLASHES_KEY as never), false)
    const { s: odd } = loaded({ [FLASHES_KEY]: 'not a list' })
    assert.deepEqual(odd.flashes(), [])
    assert.equal(odd.has(FLASHES_KEY as never), false, 'a stored value of another shape is removed')
  })
})

/** Runs two requests: the first flashes, the second (with the first's cookie) reads them twice. */
async function acrossRequests(engine: Engine): Promise<void> {
  const cookieOf = (setCookie: string | undefined, before: string) =>
    setCookie === undefined ? before : setCookie.slice(0, setCookie.indexOf(';'))
  const first = engine.open(undefined)
  await first.session.load()
  first.session.set('user', 'ada')
  first.session.flash('Signed in.')
  const cookie = cookieOf((await first.commit()).setCookie, '')
  const second = engine.open(cookie)
  await second.session.load()
  assert.deepEqual(second.session.flashes(), [{ category: 'message', message: 'Signed in.' }])
  const after = await second.commit()
  const third = engine.open(cookieOf(after.setCookie, cookie))
  await third.session.load()
  assert.deepEqual(third.session.flashes(), [], 'shown once')
  assert.equal(third.session.get('user'), 'ada')
  assert.deepEqual(setCookiesOf(await third.commit()), [], 'nothing left to take: nothing written')
}

describe('flash messages in every format and in the store engine', () => {
  const formats: CookieFormat[] = [
    starlette(),
    cached(starlette({ algorithm: 'sha256' })),
    sealed(),
    cached(sealed()),
  ]
  for (const format of formats) {
    it(`the cookie engine, ${format.name}`, async () => {
      await acrossRequests(new CookieEngine({ secretKey: SECRET, format, now: () => NOW }))
    })
  }
  it('the store engine', async () => {
    const store = memoryStore({ now: () => NOW, sweepInterval: 0 })
    await acrossRequests(createStoreEngine({ secretKey: SECRET, store, now: () => NOW }))
  })
})
