/**
 * Large buffers for whole-file reads, reused within one scan thread: allocating a fresh buffer per
 * binary costs page faults and external-memory GCs. A buffer is handed out for the size asked
 * (a view of a possibly larger one) and must not be used after it is given back. At most `keep`
 * bytes of free buffers are kept.
 */
export class BufferPool {
  readonly #free: Buffer[] = []
  #freeBytes = 0

  constructor(readonly keep: number) {}

  /** A buffer of exactly `size` bytes (uninitialised) and the function that gives it back. */
  take(size: number): { buf: Buffer; give: () => void } {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const len = this.#free[i]!.length
      if (len >= size && (best < 0 || len < this.#free[best]!.length)) best = i
    }
    let backing: Buffer
    if (best >= 0) {
      backing = this.#free.splice(best, 1)[0]!
      this.#freeBytes -= backing.length
    } else backing = Buffer.allocUnsafeSlow(roundUp(size))
    let given = false
    return {
      buf: backing.subarray(0, size),
      give: () => {
        if (given) return
        given = true
        this.#put(backing)
      },
    }
  }

  #put(buf: Buffer): void {
    if (buf.length > this.keep) return
    this.#free.push(buf)
    this.#freeBytes += buf.length
    // Over the cap: drop the smallest first (big ones are the costly ones to make again).
    this.#free.sort((a, b) => b.length - a.length)
    while (this.#freeBytes > this.keep) this.#freeBytes -= this.#free.pop()!.length
  }
}

/** Sizes grow in 1 MiB steps, so a slightly larger file can reuse a buffer. */
function roundUp(size: number): number {
  const step = 1024 * 1024
  return Math.max(step, Math.ceil(size / step) * step)
}
