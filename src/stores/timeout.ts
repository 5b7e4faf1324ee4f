import { performance } from 'node:perf_hooks'
import { StoreUnavailable } from '../errors.ts'

/**
 * Runs one store call, turning a rejection or an answer slower than `ms` into
 * {@link StoreUnavailable}. The slow call itself is left to the driver's own timeouts; the request
 * waiting on it is released.
 */
export async function withTimeout<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(what, ms)), ms)
  })
  try {
    return await Promise.race([call(), expired])
  } catch (error) {
    throw asUnavailable(what, error)
  } finally {
    clearTimeout(timer)
  }
}

/** A store call waiting for its answer. */
interface Waiter {
  what: string
  deadline: number
  reject: (error: StoreUnavailable) => void
}

/**
 * {@link withTimeout} for many calls sharing one `ms`, with a single timer instead of one per call.
 *
 * A fast path: a timer, a race and two extra promises per store call were a large part of the
 * garbage a store-backed request made. Every call here has the same timeout, so deadlines come in
 * the order the calls start, and one timer armed for the oldest pending deadline serves them all.
 * The timer keeps the process alive only while a call is pending, as a timer per call did.
 */
export class StoreTimeouts {
  /** Pending calls in start order, which is deadline order. */
  readonly #waiting = new Set<Waiter>()
  #timer: NodeJS.Timeout | undefined

  /** @param ms Milliseconds each call may take. */
  constructor(readonly ms: number) {}

  /** Same answers as {@link withTimeout}`(what, this.ms, call)`. */
  run<T>(what: string, call: () => Promise<T>): Promise<T> {
    let answer: Promise<T>
    try {
      answer = call()
    } catch (error) {
      return Promise.reject(asUnavailable(what, error))
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { what, deadline: performance.now() + this.ms, reject }
      this.#add(waiter)
      Promise.resolve(answer).then(
        (value) => {
          if (this.#remove(waiter)) resolve(value)
        },
        (error: unknown) => {
          if (this.#remove(waiter)) reject(asUnavailable(what, error))
        },
      )
    })
  }

  #add(waiter: Waiter): void {
    this.#waiting.add(waiter)
    if (this.#timer === undefined) this.#timer = setTimeout(() => this.#expire(), this.ms)
    else if (this.#waiting.size === 1) this.#timer.ref()
  }

  /** Whether the waiter was still pending (not timed out). */
  #remove(waiter: Waiter): boolean {
    if (!this.#waiting.delete(waiter)) return false
    // Nothing pending: the armed timer must not keep the process alive on its own.
    if (this.#waiting.size === 0) this.#timer?.unref()
    return true
  }

  #expire(): void {
    this.#timer = undefined
    const now = performance.now()
    for (const waiter of this.#waiting) {
      if (waiter.deadline > now) {
        this.#timer = setTimeout(() => this.#expire(), waiter.deadline - now)
        return
      }
      this.#waiting.delete(waiter)
      waiter.reject(tooSlow(waiter.what, this.ms))
    }
  }
}

function tooSlow(what: string, ms: number): StoreUnavailable {
  return new StoreUnavailable(`session store did not answer ${what} within ${ms} ms`)
}

function asUnavailable(what: string, error: unknown): StoreUnavailable {
  if (error instanceof StoreUnavailable) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new StoreUnavailable(`session store failed on ${what}: ${reason}`, error)
}
