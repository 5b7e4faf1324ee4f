import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSessionEngine } from '../cookie-engine.ts'
import { CookieTooLarge, StoreUnavailable } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { CommitFailure, commitFor, failureFor } from './commit.ts'

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
})
