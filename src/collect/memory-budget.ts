interface Waiter {
  bytes: number
  owner: object
  grant: () => void
}

// Shared state, one BigInt64Array over a SharedArrayBuffer: bytes held by all threads, a generation
// bumped on every release (threads with waiters sleep on it), the number of threads asleep (a
// release wakes them only when there are some: a wake-up is a system call), then the bytes each
// thread (slot) holds, so a dead thread's can be taken back.
const USED = 0
const GEN = 1
const SLEEPERS = 2
const SLOTS = 3

// Atomics.waitAsync is in Node 16+, but in TypeScript's lib only from ES2024.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: BigInt64Array,
      i: number,
      v: bigint,
    ): { async: false; value: string } | { async: true; value: Promise<string> }
  }
).waitAsync

/** Shared state of a budget for `threads` threads (slots 0 … threads − 1). */
export function sharedBudgetState(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * (SLOTS + Math.max(1, threads)))
}

/**
 * Bytes of whole-content buffers in flight at once, across every scan thread that shares the state.
 * Requests wait until they fit; a small one may pass a larger one, so a thread never idles behind
 * a big file while smaller work is there to do. Two exceptions keep the scan from deadlocking: a
 * request when nothing is held anywhere is granted (a file larger than the budget runs alone,
 * possibly at the end of the scan), and an owner that already holds bytes (a top-level file whose
 * nested archive member is being opened) is granted at once, so a waiter never holds memory. The
 * overdraft of nested members is bounded by the archive limits.
 */
export class MemoryBudget {
  readonly #s: BigInt64Array
  readonly #slot: number
  readonly #byOwner = new Map<object, number>()
  readonly #waiting: Waiter[] = []
  #sleeping = false

  /** `shared`/`slot`: this thread's place in a budget shared by threads; absent: a private one. */
  constructor(
    readonly total: number,
    shared?: { state: SharedArrayBuffer; slot: number },
  ) {
    this.#s = new BigInt64Array(shared?.state ?? sharedBudgetState(1))
    this.#slot = SLOTS + (shared?.slot ?? 0)
  }

  /** Bytes held now by every thread sharing this budget. */
  get used(): number {
    return Number(Atomics.load(this.#s, USED))
  }

  /** Resolves with an idempotent release function once `bytes` are held for `owner`. */
  async acquire(bytes: number, owner: object): Promise<() => void> {
    if (this.#byOwner.has(owner)) this.#take(bytes, owner, true)
    else if (!this.#take(bytes, owner, false)) {
      await new Promise<void>((grant) => {
        this.#waiting.push({ bytes, owner, grant })
        this.#sleep()
      })
    }
    let released = false
    return () => {
      if (released) return
      released = true
      this.#give(bytes, owner)
    }
  }

  /**
   * Takes back what a thread that died still held (its slot), so the others are not left waiting.
   * Call on a budget that shares the state, for the dead thread's slot.
   */
  reclaim(slot: number): void {
    const held = Atomics.exchange(this.#s, SLOTS + slot, 0n)
    if (held !== 0n) Atomics.sub(this.#s, USED, held)
    this.#bump()
  }

  /** Takes `bytes` if they fit (or unconditionally when `force`); false when they do not fit. */
  #take(bytes: number, owner: object, force: boolean): boolean {
    const b = BigInt(bytes)
    for (;;) {
      const used = Atomics.load(this.#s, USED)
      if (!force && used !== 0n && used + b > BigInt(this.total)) return false
      if (Atomics.compareExchange(this.#s, USED, used, used + b) === used) break
    }
    Atomics.add(this.#s, this.#slot, b)
    this.#byOwner.set(owner, (this.#byOwner.get(owner) ?? 0) + bytes)
    return true
  }

  #give(bytes: number, owner: object): void {
    const b = BigInt(bytes)
    Atomics.sub(this.#s, USED, b)
    Atomics.sub(this.#s, this.#slot, b)
    const left = (this.#byOwner.get(owner) ?? 0) - bytes
    if (left > 0) this.#byOwner.set(owner, left)
    else this.#byOwner.delete(owner)
    this.#bump()
    this.#wake()
  }

  /** Tells every sleeping thread something was released (nothing to do when none sleeps). */
  #bump(): void {
    if (Atomics.load(this.#s, SLEEPERS) === 0n) return
    Atomics.add(this.#s, GEN, 1n)
    Atomics.notify(this.#s, GEN)
  }

  /** Grants, in arrival order, every waiter that fits now (a small one may pass a large one). */
  #wake(): void {
    for (let i = 0; i < this.#waiting.length; ) {
      const w = this.#waiting[i]!
      if (this.#take(w.bytes, w.owner, false)) {
        this.#waiting.splice(i, 1)
        w.grant()
      } else i++
    }
  }

  /** While requests wait, sleeps on the generation (without blocking the thread) and retries. */
  #sleep(): void {
    if (this.#sleeping) return
    this.#sleeping = true
    const loop = (): void => {
      // Counted as a sleeper before looking, so a release after the look sees the sleeper and
      // moves `gen` on: the wait then returns at once or is woken.
      Atomics.add(this.#s, SLEEPERS, 1n)
      const gen = Atomics.load(this.#s, GEN)
      this.#wake()
      if (this.#waiting.length === 0) {
        Atomics.sub(this.#s, SLEEPERS, 1n)
        this.#sleeping = false
        return
      }
      const r = waitAsync(this.#s, GEN, gen)
      const woke = () => {
        Atomics.sub(this.#s, SLEEPERS, 1n)
        loop()
      }
      if (r.async) void r.value.then(woke)
      else queueMicrotask(woke)
    }
    loop()
  }
}
