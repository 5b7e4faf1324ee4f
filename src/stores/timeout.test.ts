import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { StoreUnavailable } from '../errors.ts'
import { StoreTimeouts } from './timeout.ts'

const never = () => new Promise<never>(() => {})

/**
 * `setTimeout` and `performance.now()` (what StoreTimeouts reads) on one fake clock that only
 * `advance` moves, a millisecond at a time so every timer fires at its own moment. Restored when the
 * test ends.
 */
function fakeClock(t: TestContext): { advance(ms: number): Promise<void> } {
  let now = 0
  // Node 20 warns once per process that mock timers are experimental: expected, so kept off the output.
  const warning = t.mock.method(process, 'emitWarning', () => {})
  t.mock.timers.enable({ apis: ['setTimeout'] })
  warning.mock.restore()
  t.mock.method(performance, 'now', () => now)
  return {
    async advance(ms) {
      for (let i = 0; i < ms; i++) {
        now++
        t.mock.timers.tick(1)
      }
      await settled()
    },
  }
}

/** Lets every promise callback already due run (setImmediate is not faked). */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A store answer the test gives when it chooses. */
function answerLater<T>() {
  let give!: (value: T) => void
  let fail!: (error: unknown) => void
  const answer = new Promise<T>((resolve, reject) => {
    give = resolve
    fail = reject
  })
  return { call: () => answer, give, fail }
}

/** Whether `promise` has settled yet; handles its rejection, so none is ever unhandled. */
function watch(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false }
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  )
  return state
}

describe('store call timeouts sharing one timer', () => {
  it('pass answers through and wrap failures in StoreUnavailable, keeping the cause', async () => {
    const timeouts = new StoreTimeouts(1000)
    assert.equal(await timeouts.run('get', async () => 42), 42)
    const refused = new Error('connect ECONNREFUSED')
    const error = await timeouts.run('set', () => Promise.reject(refused)).catch((e: unknown) => e)
    assert.ok(error instanceof StoreUnavailable)
    assert.equal(error.cause, refused)
    assert.match(error.message, /failed on set: connect ECONNREFUSED/)
    const thrown = await timeouts
      .run('destroy', () => {
        throw refused
      })
      .catch((e: unknown) => e)
    assert.ok(thrown instanceof StoreUnavailable)
    assert.equal(thrown.cause, refused)
  })

  it('release every call that outlives the timeout, each with its own message, and no other', async (t) => {
    const clock = fakeClock(t)
    const timeouts = new StoreTimeouts(40)
    const first = timeouts.run('get', never)
    const firstState = watch(first)
    await clock.advance(15)
    const second = timeouts.run('touch', never)
    const secondState = watch(second)
    const answer = answerLater<boolean>()
    const fast = timeouts.run('set', answer.call)
    await clock.advance(5)
    answer.give(true)
    assert.equal(await fast, true)

    await clock.advance(19)
    assert.equal(firstState.done, false, 'not released before its 40 ms')
    await clock.advance(1)
    await assert.rejects(first, { name: 'StoreUnavailable', message: /did not answer get within 40 ms/ })
    assert.equal(secondState.done, false, 'the second call, started 15 ms later, still has time')
    await clock.advance(15)
    await assert.rejects(second, { name: 'StoreUnavailable', message: /did not answer touch within 40 ms/ })
  })

  it('ignore an answer that comes after the timeout', async (t) => {
    const clock = fakeClock(t)
    const timeouts = new StoreTimeouts(20)
    const lateAnswer = answerLater<string>()
    const late = timeouts.run('get', lateAnswer.call)
    watch(late)
    const lateFailure = answerLater<never>()
    const failed = timeouts.run('get', lateFailure.call)
    watch(failed)
    await clock.advance(20)
    lateAnswer.give('late')
    lateFailure.fail(new Error('late'))
    await settled()
    await assert.rejects(late, { name: 'StoreUnavailable', message: /did not answer get within 20 ms/ })
    await assert.rejects(failed, { name: 'StoreUnavailable', message: /did not answer get within 20 ms/ })

    // Still working after timeouts: a new call gets its own timer and answer.
    assert.equal(await timeouts.run('get', async () => 'next'), 'next')
    const stuck = timeouts.run('get', never)
    const stuckState = watch(stuck)
    await clock.advance(19)
    assert.equal(stuckState.done, false)
    await clock.advance(1)
    await assert.rejects(stuck, /did not answer get within 20 ms/)
  })
})
