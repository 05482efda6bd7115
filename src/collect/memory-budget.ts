interface Waiter {
  bytes: number
  owner: object
  grant: () => void
}

/**
 * Bytes of whole-content buffers in flight at once. Requests wait until they fit (a small one may
 * pass a larger one). Two exceptions keep the scan from deadlocking: a request when nothing is held is
 * granted (one file larger than the budget runs alone), and an owner that already holds bytes (a
 * top-level file whose nested archive member is being opened) is granted at once, so a waiter
 * never holds memory. The overdraft of nested members is bounded by the archive limits.
 */
export class MemoryBudget {
  #used = 0
  readonly #byOwner = new Map<object, number>()
  readonly #waiting: Waiter[] = []

  constructor(readonly total: number) {}

  get used(): number {
    return this.#used
  }

  /** Resolves with an idempotent release function once `bytes` are held for `owner`. */
  async acquire(bytes: number, owner: object): Promise<() => void> {
    if (this.#byOwner.has(owner) || (!this.#exclusiveWaiting() && this.#fits(bytes)))
      this.#take(bytes, owner)
    else await new Promise<void>((grant) => this.#waiting.push({ bytes, owner, grant }))
    let released = false
    return () => {
      if (released) return
      released = true
      this.#give(bytes, owner)
    }
  }

  /** A waiter larger than the whole budget needs it empty: new requests then queue behind it. */
  #exclusiveWaiting(): boolean {
    return this.#waiting.some((w) => w.bytes > this.total)
  }

  #fits(bytes: number): boolean {
    return this.#used + bytes <= this.total || this.#used === 0
  }

  #take(bytes: number, owner: object): void {
    this.#used += bytes
    this.#byOwner.set(owner, (this.#byOwner.get(owner) ?? 0) + bytes)
  }

  #give(bytes: number, owner: object): void {
    this.#used -= bytes
    const left = (this.#byOwner.get(owner) ?? 0) - bytes
    if (left > 0) this.#byOwner.set(owner, left)
    else this.#byOwner.delete(owner)
    this.#wake()
  }

  /** Grants, in arrival order, every waiter that fits now (a small one may pass a large one). */
  #wake(): void {
    for (let i = 0; i < this.#waiting.length; ) {
      const w = this.#waiting[i]!
      if (this.#fits(w.bytes)) {
        this.#waiting.splice(i, 1)
        this.#take(w.bytes, w.owner)
        w.grant()
      } else if (w.bytes > this.total) return
      else i++
    }
  }
}
