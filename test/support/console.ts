/**
 * Errors a test expects to be logged are captured and checked, not printed among passing tests. The
 * adapters (and Hono's default error handler) report with `console.error`, so that is what is captured.
 */
import type { TestContext } from 'node:test'

/**
 * Captures `console.error` until the test ends; returns a function listing what was logged since,
 * one string per call (an Error as `Name: message`).
 */
export function captureConsoleErrors(t: TestContext): () => string[] {
  const error = t.mock.method(console, 'error', () => {})
  return () => error.mock.calls.map((call) => call.arguments.map(String).join(' '))
}
