interface Waiter {
  bytes: number
  owner: object
  grant: () => void
}

// Shared state, one BigInt64Array over a SharedArrayBuffer: bytes held by all threads, a generation
// that sleeping threads wait on, then two cells per thread (slot): the bytes it holds (so a dead
// thread's can be taken back) and the smallest request it waits for (0: none). A release moves the
// generation on and wakes the sleepers only when some waiting request now fits: a wake-up is a
// system call, and releases (one per archive member) are frequent.
const USED = 0
const GEN = 1
const SLOTS = 2
const heldAt = (slot: number) => SLOTS + 2 * slot
const waitAt = (slot: number) => SLOTS + 2 * slot + 1

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
  return new SharedArrayBuffer(8 * (SLOTS + 2 * Math.max(1, threads)))
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
  readonly #threads: number
  readonly #byOwner = new Map<object, number>()
  readonly #waiting: Waiter[] = []
  #sleeping = false

  /** `shared`/`slot`: this thread's place in a budget shared by threads; absent: a private one. */
  constructor(
    readonly total: number,
    shared?: { state: SharedArrayBuffer; slot: number },
  ) {
    this.#s = new BigInt64Array(shared?.state ?? sharedBudgetState(1))
    this.#slot = shared?.slot ?? 0
    this.#threads = (this.#s.length - SLOTS) / 2
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
        // Published before looking again, so a release from now on sees this request.
        this.#publishWait()
        this.#wake()
        if (this.#waiting.length > 0) this.#sleep()
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
    const held = Atomics.exchange(this.#s, heldAt(slot), 0n)
    Atomics.store(this.#s, waitAt(slot), 0n)
    if (held !== 0n) Atomics.sub(this.#s, USED, held)
    this.#bump(true)
  }

  /** Takes `bytes` if they fit (or unconditionally when `force`); false when they do not fit. */
  #take(bytes: number, owner: object, force: boolean): boolean {
    const b = BigInt(bytes)
    for (;;) {
      const used = Atomics.load(this.#s, USED)
      if (!force && used !== 0n && used + b > BigInt(this.total)) return false
      if (Atomics.compareExchange(this.#s, USED, used, used + b) === used) break
    }
    Atomics.add(this.#s, heldAt(this.#slot), b)
    this.#byOwner.set(owner, (this.#byOwner.get(owner) ?? 0) + bytes)
    return true
  }

  #give(bytes: number, owner: object): void {
    const b = BigInt(bytes)
    Atomics.sub(this.#s, USED, b)
    Atomics.sub(this.#s, heldAt(this.#slot), b)
    const left = (this.#byOwner.get(owner) ?? 0) - bytes
    if (left > 0) this.#byOwner.set(owner, left)
    else this.#byOwner.delete(owner)
    this.#bump(false)
    if (this.#waiting.length > 0) this.#wake()
  }

  /** Wakes the sleeping threads when some waiting request now fits (or always, when `force`). */
  #bump(force: boolean): void {
    if (!force && !this.#someWaiterFits()) return
    Atomics.add(this.#s, GEN, 1n)
    Atomics.notify(this.#s, GEN)
  }

  #someWaiterFits(): boolean {
    const used = Atomics.load(this.#s, USED)
    for (let t = 0; t < this.#threads; t++) {
      const wants = Atomics.load(this.#s, waitAt(t))
      if (wants !== 0n && (used === 0n || used + wants <= BigInt(this.total))) return true
    }
    return false
  }

  /** The smallest request this thread waits for, for releasing threads to see (0: none). */
  #publishWait(): void {
    let min = 0
    for (const w of this.#waiting) if (min === 0 || w.bytes < min) min = w.bytes
    Atomics.store(this.#s, waitAt(this.#slot), BigInt(min))
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
      // The wait is published before `gen` is read: a release after that sees it and, when it
      // fits, moves `gen` on, so the wait below returns at once or is woken.
      this.#publishWait()
      const gen = Atomics.load(this.#s, GEN)
      this.#wake()
      this.#publishWait()
      if (this.#waiting.length === 0) {
        this.#sleeping = false
        return
      }
      const r = waitAsync(this.#s, GEN, gen)
      if (r.async) void r.value.then(loop)
      else queueMicrotask(loop)
    }
    loop()
  }
}
