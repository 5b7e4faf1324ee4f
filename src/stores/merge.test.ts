import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyChanges, diff, hasChanges } from './merge.ts'

describe('key-level merge', () => {
  it('finds keys set, changed in place and removed, and nothing else', () => {
    const before = { same: 1, nested: { a: [1] }, gone: true, replaced: 'x' }
    const after = { same: 1, nested: { a: [1, 2] }, replaced: 'y', added: null }
    const changes = diff(before, after)
    assert.deepEqual(Object.fromEntries(changes.set), { nested: { a: [1, 2] }, replaced: 'y', added: null })
    assert.deepEqual(changes.removed, ['gone'])
    assert.equal(hasChanges(diff(before, structuredClone(before))), false)
  })

  it("re-applies one request's changes over another's without undoing the other's", () => {
    const loaded = { a: 0, b: 0, c: 0 }
    const mine = diff(loaded, { a: 1, b: 0 }) // set a, removed c
    const theirs = { a: 0, b: 2, c: 0, d: 4 } // what the winner wrote meanwhile
    assert.deepEqual(applyChanges(theirs, mine), { a: 1, b: 2, d: 4 })
  })
})

describe('diff of sessions holding bigints', () => {
  it('compares bigint values instead of failing on them', () => {
    const changes = diff({ big: 2n ** 64n, same: 1n }, { big: 2n ** 64n + 1n, same: 1n })
    assert.deepEqual(Object.fromEntries(changes.set), { big: 2n ** 64n + 1n })
  })
})
