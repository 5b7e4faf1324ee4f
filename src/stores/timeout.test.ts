import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { StoreUnavailable } from '../errors.ts'
import { StoreTimeouts } from './timeout.ts'

const never = () => new Promise<never>(() => {})

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

  it('release every call that outlives the timeout, each with its own message, and no other', async () => {
    const timeouts = new StoreTimeouts(40)
    const first = timeouts.run('get', never)
    await sleep(15)
    const second = timeouts.run('touch', never)
    const fast = timeouts.run('set', () => sleep(5).then(() => true))
    assert.equal(await fast, true)
    await assert.rejects(first, { name: 'StoreUnavailable', message: /did not answer get within 40 ms/ })
    await assert.rejects(second, { name: 'StoreUnavailable', message: /did not answer touch within 40 ms/ })
  })

  it('ignore an answer that comes after the timeout', async () => {
    const timeouts = new StoreTimeouts(20)
    const late = timeouts.run('get', () => sleep(60).then(() => 'late'))
    await assert.rejects(late, StoreUnavailable)
    const lateFailure = timeouts.run('get', () => sleep(60).then(() => Promise.reject(new Error('late'))))
    await assert.rejects(lateFailure, /did not answer get/)
    await sleep(60)
    // Still working after timeouts: a new call gets its own timer and answer.
    assert.equal(await timeouts.run('get', async () => 'next'), 'next')
    await assert.rejects(timeouts.run('get', never), /did not answer get within 20 ms/)
  })
})
