import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TesseraError } from './errors.ts'
import type { SessionData } from './session.ts'
import { type SessionSource, SessionState } from './session-state.ts'

/** A session loaded from `data`, and its state (what an engine reads). */
function loaded(data: Record<string, unknown>, json = JSON.stringify(data)) {
  const state = new SessionState(() => ({ data, json, issuedAt: 1, keyIndex: 0 }))
  return { s: state.session, state }
}

function fresh<Data extends SessionData = SessionData>() {
  const state = new SessionState<Data>()
  return { s: state.session, state }
}

describe('Session', () => {
  it('behaves like a dict with Python’s pop', () => {
    const { s } = fresh<{ a?: number; b?: string }>()
    assert.equal(s.isNew, true)
    assert.equal(s.isEmpty, true)
    s.set('a', 1).set('b', 'x')
    assert.equal(s.get('a'), 1)
    assert.equal(s.has('b'), true)
    assert.equal(s.pop('b'), 'x')
    assert.equal(s.pop('b', 'fallback'), 'fallback')
    assert.equal(s.delete('a'), true)
    assert.equal(s.delete('a'), false)
    assert.equal(s.isEmpty, true)
  })

  it('tracks changes, and no change when only read', () => {
    const { s, state } = loaded({ a: 1 })
    assert.equal(s.get('a'), 1)
    assert.equal(state.changed, false)
    s.set('a', 2)
    assert.equal(state.changed, true)
  })

  it('detects changes inside nested values handed out by get and data', () => {
    const { s, state } = loaded({ cart: ['apple'], profile: { name: 'Ada' } })
    ;(s.get('cart') as string[]).push('pear')
    assert.equal(state.changed, true)
    const t = loaded({ profile: { name: 'Ada' } })
    assert.equal((t.s.data.profile as { name: string }).name, 'Ada')
    assert.equal(t.state.changed, false)
    ;(t.s.data.profile as { name: string }).name = 'Grace'
    assert.equal(t.state.changed, true)
  })

  it('does not mistake text written by Python for a change when values are only read', () => {
    // json.dumps writes spaces after separators and escapes non-ASCII: another text for the same data.
    const data = { cart: ['apple', 'café'], n: 1 }
    const { s, state } = loaded(data, '{"cart": ["apple", "caf\\u00e9"], "n": 1}')
    assert.deepEqual(s.get('cart'), ['apple', 'café'])
    assert.equal(s.data.n, 1)
    assert.equal(state.changed, false)
  })

  it('never reads inherited properties and refuses reserved keys', () => {
    const { s } = loaded({})
    assert.equal(s.get('toString'), undefined)
    assert.equal(s.has('constructor'), false)
    assert.throws(() => s.set('__proto__', {}), TypeError)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('clear empties it; clear on an empty session is not a change', () => {
    const { s, state } = loaded({ a: 1 })
    s.clear()
    assert.equal(s.isEmpty, true)
    assert.equal(state.changed, true)
    const t = fresh()
    t.s.clear()
    assert.equal(t.state.changed, false)
  })

  it('loads lazily, once', () => {
    let loads = 0
    const state = new SessionState(() => {
      loads++
      return { data: { a: 1 }, json: '{"a":1}', issuedAt: 5, keyIndex: 0 }
    })
    const s = state.session
    assert.equal(loads, 0)
    assert.equal(state.loaded, false)
    assert.equal(s.get('a'), 1)
    assert.equal(s.isNew, false)
    assert.equal(s.issuedAt?.getTime(), 5000)
    assert.equal(loads, 1)
  })

  it('asks to be awaited when its loader is asynchronous', async () => {
    const source: SessionSource = { data: { a: 1 }, json: '{"a":1}', issuedAt: 5, keyIndex: 0 }
    const s = new SessionState(async () => source).session
    assert.throws(() => s.get('a'), TesseraError)
    assert.equal(s.isLoaded, false)
    assert.equal((await s.load()).get('a'), 1)
    assert.equal(s.isLoaded, true)
  })

  it('keeps the remember-me choice in the data', () => {
    const { s, state } = fresh()
    assert.equal(s.persistent, undefined)
    s.setPersistent(false)
    assert.equal(s.persistent, false)
    assert.equal(state.persistent, false)
  })

  it('reports a write after commit instead of losing it silently', () => {
    const late: string[] = []
    class Reporting extends SessionState {
      protected override reportLateWrite(key: string): void {
        late.push(key)
      }
    }
    const state = new Reporting(() => ({ data: { a: 1 }, json: '{"a":1}', issuedAt: 1, keyIndex: 0 }))
    state.commit()
    state.session.set('b', 2)
    state.session.delete('a')
    assert.deepEqual(late, ['b', 'a'])
  })

  it('refuses property assignment with a TypeError that names set()', () => {
    const { s, state } = loaded({ a: 1 })
    assert.throws(
      () => {
        ;(s as unknown as Record<string, unknown>).user = 'ada'
      },
      (error: unknown) => error instanceof TypeError && /session\.set\("user", value\)/.test(error.message),
    )
    assert.equal(s.has('user' as never), false)
    assert.equal(state.changed, false)
    // Methods and getters still work, and so does everything a session is asked by tools.
    assert.equal(s.get('a'), 1)
    assert.equal(String(s), '[object Object]')
    assert.equal(JSON.stringify(s), '{"a":1}')
  })

  it('destroy() empties the session and calls an express-session style callback', async () => {
    const { s, state } = loaded({ a: 1 })
    const called = await new Promise<unknown[]>((resolve) => s.destroy((...args) => resolve(args)))
    assert.deepEqual(called, [])
    assert.equal(s.isEmpty, true)
    assert.equal(state.changed, true)
  })
})
