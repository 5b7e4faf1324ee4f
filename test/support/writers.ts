/**
 * Visitors that keep writing to their session while a test breaks the store underneath them: each
 * writes an increasing counter and remembers the last value the app acknowledged, so a test can
 * check afterwards that no acknowledged write was lost.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { CookieClient } from './app.ts'

/** What the load saw. */
export interface Tally {
  ok: number
  unavailable: number
  /** Anything other than 200 or 503, or a failed connection. */
  other: string[]
}

/** A visitor who keeps writing an increasing counter into one session, and remembers what was acknowledged. */
export class Writer {
  readonly client: CookieClient
  /** The counter's last value the app acknowledged with a 200; -1 before the session exists. */
  acknowledged = -1
  /** The last value sent, acknowledged or not. */
  attempted = -1
  /** Acknowledged writes since the test last set it to 0. */
  sinceMark = 0
  /** The cookie of the session this visitor first got; a new one later means the session was lost. */
  firstCookie: string | undefined

  constructor(url: string) {
    this.client = new CookieClient(url)
  }

  async step(tally: Tally): Promise<void> {
    const value = this.attempted + 1
    this.attempted = value
    const hadSession = this.client.cookie !== undefined
    let answer: Awaited<ReturnType<CookieClient['get']>>
    try {
      answer = await this.client.get(`/set?k=n&v=${value}`)
    } catch (error) {
      const cause =
        error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined
      tally.other.push(`connection: ${String(error)} (${cause?.code ?? cause?.message ?? 'no cause'})`)
      return
    }
    if (answer.status === 200) {
      tally.ok++
      // A new session is acknowledged by its cookie; an existing one keeps its cookie.
      if (hadSession || this.client.cookie !== undefined) {
        this.firstCookie ??= this.client.cookie
        this.acknowledged = value
        this.sinceMark++
      }
    } else if (answer.status === 503) tally.unavailable++
    else tally.other.push(`status ${answer.status}: ${JSON.stringify(answer.body)}`)
  }
}

/** Runs the writers until `stop()`; each writes one value after another. */
export function startLoad(writers: Writer[], tally: Tally) {
  let running = true
  const loops = writers.map(async (w) => {
    while (running) {
      await w.step(tally)
      // While the store is down the answers come at once: do not spin.
      if (tally.unavailable > 0) await sleep(20)
    }
  })
  return async () => {
    running = false
    await Promise.all(loops)
  }
}

/**
 * Reads a visitor's session over HTTP: it must be the session the visitor started with (had the
 * store lost it, the app would have started a new one, with a new cookie), holding at least
 * `atLeast` and at most the last value the visitor sent. Resolves to the value stored. Asked again
 * (for at most `ms`) while the app answers 503: such a read changed nothing.
 */
export async function readBack(w: Writer, atLeast: number, ms = 120_000): Promise<number> {
  let read = await w.client.get('/get')
  for (const deadline = Date.now() + ms; read.status === 503 && Date.now() < deadline; ) {
    await sleep(50)
    read = await w.client.get('/get')
  }
  assert.equal(w.client.cookie, w.firstCookie, 'the visitor still has the session it started with')
  assert.equal(read.status, 200)
  const stored = Number((read.body as { n?: string }).n)
  assert.ok(Number.isInteger(stored), `the session is gone: ${JSON.stringify(read.body)}`)
  assert.ok(stored >= atLeast, `acknowledged ${atLeast}, stored ${stored}`)
  assert.ok(stored <= w.attempted)
  return stored
}

/** Waits until `check()` holds, polling, for at most `ms`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${ms / 1000} s for ${what}`)
    await sleep(50)
  }
}
