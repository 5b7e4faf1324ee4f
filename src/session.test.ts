import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TesseraError } from './errors.ts'
import { Session, type SessionSource } from './session.ts'

function loaded(data: Record<string, unknown>): Session<Record<string, unknown>> {
  return new Session(() => ({ data, json: JSON.stringify(data), issuedAt: 1, keyIndex: 0 }))
}

describe('Session', () => {
  it('behaves like a dict with Python’s pop', () => {
    const s = new Session<{ a?: number; b?: string }>()
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
    const s = loaded({ a: 1 })
    assert.equal(s.get('a'), 1)
    assert.equal(Session.state(s).changed, false)
    s.set('a', 2)
    assert.equal(Session.state(s).changed, true)
  })

  it('detects changes inside nested values handed out by get and data', () => {
    const s = loaded({ cart: ['apple'], profile: { name: 'Ada' } })
    ;(s.get('cart') as string[]).push('pear')
    assert.equal(Session.state(s).changed, true)
    const t = loaded({ profile: { name: 'Ada' } })
    assert.equal((t.data.profile as { name: string }).name, 'Ada')
    assert.equal(Session.state(t).changed, false)
    ;(t.data.profile as { name: string }).name = 'Grace'
    assert.equal(Session.state(t).changed, true)
  })

  it('never reads inherited properties and refuses reserved keys', () => {
    const s = loaded({})
    assert.equal(s.get('toString'), undefined)
    assert.equal(s.has('constructor'), false)
    assert.throws(() => s.set('__proto__', {}), TypeError)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('clear empties it; clear on an empty session is not a change', () => {
    const s = loaded({ a: 1 })
    s.clear()
    assert.equal(s.isEmpty, true)
    assert.equal(Session.state(s).changed, true)
    const t = new Session()
    t.clear()
    assert.equal(Session.state(t).changed, false)
  })

  it('loads lazily, once', () => {
    let loads = 0
    const s = new Session(() => {
      loads++
      return { data: { a: 1 }, json: '{"a":1}', issuedAt: 5, keyIndex: 0 }
    })
    assert.equal(loads, 0)
    assert.equal(Session.state(s).loaded, false)
    assert.equal(s.get('a'), 1)
    assert.equal(s.isNew, false)
    assert.equal(s.issuedAt?.getTime(), 5000)
    assert.equal(loads, 1)
  })

  it('asks to be awaited when its loader is asynchronous', async () => {
    const source: SessionSource = { data: { a: 1 }, json: '{"a":1}', issuedAt: 5, keyIndex: 0 }
    const s = new Session(async () => source)
    assert.throws(() => s.get('a'), TesseraError)
    assert.equal(s.isLoaded, false)
    assert.equal((await s.load()).get('a'), 1)
    assert.equal(s.isLoaded, true)
  })

  it('keeps the remember-me choice in the data', () => {
    const s = new Session()
    assert.equal(s.persistent, undefined)
    s.setPersistent(false)
    assert.equal(s.persistent, false)
    assert.equal(Session.state(s).persistent, false)
  })

  it('reports a write after commit instead of losing it silently', () => {
    const s = loaded({ a: 1 })
    const late: string[] = []
    Session.markCommitted(s, (key) => late.push(key))
    s.set('b', 2)
    s.delete('a')
    assert.deepEqual(late, ['b', 'a'])
  })
})
