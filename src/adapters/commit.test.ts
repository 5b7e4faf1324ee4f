import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSessionEngine } from '../cookie-engine.ts'
import { CookieTooLarge, StoreUnavailable } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Session } from '../session.ts'
import { createStoreEngine, memoryStore } from '../stores/index.ts'
import type { Store } from '../stores/store.ts'
import { CommitFailure, commitFor, commitThen, failureFor } from './commit.ts'

/** A logger that keeps what it is given. */
function recording(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) }
}

describe('the commit protocol', () => {
  it('answers a store outage 503 and logs one line with the driver’s reason, no stack', () => {
    const logger = recording()
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6379')
    const failure = failureFor(new StoreUnavailable('session store failed on get', cause), logger)
    assert.ok(failure instanceof CommitFailure)
    assert.equal(failure.status, 503)
    assert.deepEqual(logger.lines, [
      'error: session store failed on get (connect ECONNREFUSED 127.0.0.1:6379)',
    ])
  })

  it('answers a cookie too large 500, and leaves other errors to the framework', () => {
    const logger = recording()
    assert.equal(failureFor(new CookieTooLarge('session', 5000, 4096), logger)?.status, 500)
    assert.equal(failureFor(new TypeError('a bug'), logger), undefined)
    assert.equal(logger.lines.length, 1)
  })

  it('writes no cookie on a 5xx response, and reports a late write through the engine’s logger', () => {
    const logger = recording()
    const engine = createSessionEngine({ secretKey: 'x'.repeat(32), logger })
    const failed = engine.open(undefined)
    failed.session.set('a', 1)
    // No cookie from a 5xx; it still varies on the cookie, having read the session.
    assert.deepEqual(commitFor(failed, 500, logger), { setCookie: undefined, vary: true })
    assert.equal(commitFor(engine.open('session=x'), 503, logger), undefined)
    const opened = engine.open(undefined)
    opened.session.set('a', 1)
    const result = commitFor(opened, 200, logger)
    assert.ok(result !== undefined && !(result instanceof CommitFailure) && !(result instanceof Promise))
    assert.match(result.setCookie ?? '', /^session=/)
    opened.session.set('b', 2)
    assert.equal(logger.lines.length, 1)
    assert.match(
      logger.lines[0] ?? '',
      /^error: session "session" was changed \(key "b"\) after its response headers were sent/,
    )
  })

  it('refuses a logger without warn and error', () => {
    assert.throws(
      () => createSessionEngine({ secretKey: 'x'.repeat(32), logger: {} as Logger }),
      /logger: must have warn\(message\) and error\(message\)/,
    )
  })

  it('commitThen settles with what commitFor gives: store write, read, 5xx, store failure', async () => {
    const logger = recording()
    const store = memoryStore({ sweepInterval: 0 })
    const engine = createStoreEngine({ secretKey: 'x'.repeat(32), store })
    const first = engine.open(undefined)
    first.session.set('user', 'alice')
    const created = await commitFor(first, 200, logger)
    const cookie = (created as { setCookie: string }).setCookie.split(';')[0]
    const refusing: Store = {
      get: (key) => store.get(key),
      set: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      destroy: (key) => store.destroy(key),
    }
    const down = createStoreEngine({ secretKey: 'x'.repeat(32), store: refusing })
    const cases = [
      { engine, status: 200, use: (s: Session) => s.set('count', 1) },
      { engine, status: 200, use: (s: Session) => void s.get('user') },
      { engine, status: 500, use: (s: Session) => s.set('count', 2) },
      { engine: down, status: 200, use: (s: Session) => s.set('count', 3) },
    ]
    for (const [index, { engine: e, status, use }] of cases.entries()) {
      const outcomes: unknown[] = []
      for (const via of ['commitFor', 'commitThen']) {
        const opened = e.open(cookie)
        await opened.session.load()
        use(opened.session)
        if (via === 'commitFor') outcomes.push(await commitFor(opened, status, logger))
        else {
          let settled: unknown = 'never'
          await commitThen(opened, status, logger, { settle: (outcome) => (settled = outcome) })
          outcomes.push(settled)
        }
      }
      assert.deepEqual(outcomes[1], outcomes[0], `case ${index}`)
      assert.notEqual(outcomes[0], 'never', `case ${index}`)
    }
    assert.ok(logger.lines.some((line) => line.includes('ECONNREFUSED')))
  })
})
