// Resizable ArrayBuffers are in Node 20 (V8 11), but in TypeScript's lib only from ES2024.
interface Resizable extends ArrayBuffer {
  resize(bytes: number): void
}
const resizable = (max: number): Resizable =>
  new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(0, {
    maxByteLength: max,
  })

/** What an arena keeps committed when given back: the next typical binary reuses it as is. */
const KEEP_BYTES = 32 * 1024 * 1024
/** Free arenas that keep KEEP_BYTES; the others give back all their memory. */
const KEEP_ARENAS = 1

/**
 * Large buffers for whole-file reads on one scan thread. A few resizable arenas are reused: a file
 * gets the free arena that fits it best (grown when none is large enough) and, given back, the
 * arena shrinks to at most KEEP_BYTES, which returns the rest of its memory to the system at once
 * (a fresh buffer per binary would linger until a garbage collection: hundreds of MB of dead
 * buffers in a scan of big binaries). One free arena keeps pages; the others keep none.
 *
 * Growing and shrinking cost page faults and zeroing on every file (reading 3.8 GiB of binaries
 * into an arena resized to each file cost 2.1 CPU-s, into a buffer that stays committed 0.8), so
 * a file that fits an arena's committed bytes gets a view of them, with no resize at all.
 * Binaries of 8-32 MiB hold most of the bytes of a system's ELF files: keeping one arena of
 * 32 MiB instead of two of 8 cut a scan's CPU by 15% with the same peak RSS.
 *
 * There is one arena per file a thread works on at once; beyond that, a plain buffer is allocated
 * (and freed only by a garbage collection). A buffer must not be used after it is given back: the
 * next file reuses it.
 */
export class BufferPool {
  readonly #free: Resizable[] = []

  /** `arenas` reusable buffers of up to `maxBytes` each (address space only until used). */
  constructor(
    readonly maxBytes: number,
    arenas = 8,
  ) {
    for (let i = 0; i < arenas; i++) this.#free.push(resizable(maxBytes))
  }

  /** A buffer of exactly `size` bytes (uninitialised) and the function that gives it back. */
  take(size: number): { buf: Buffer; give: () => void } {
    const arena = size <= this.maxBytes ? this.#bestFit(size) : undefined
    if (!arena) return { buf: Buffer.allocUnsafeSlow(size), give: () => {} }
    if (arena.byteLength < size) arena.resize(size)
    let given = false
    return {
      buf: Buffer.from(arena, 0, size),
      give: () => {
        if (given) return
        given = true
        const holding = this.#free.reduce((n, a) => n + (a.byteLength > 0 ? 1 : 0), 0)
        const keep = holding < KEEP_ARENAS ? KEEP_BYTES : 0
        if (arena.byteLength > keep) arena.resize(keep)
        this.#free.push(arena)
      },
    }
  }

  /** Takes the free arena with the fewest committed bytes that still hold `size`, else the largest. */
  #bestFit(size: number): Resizable | undefined {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      if (best < 0) {
        best = i
        continue
      }
      const n = this.#free[i]!.byteLength
      const b = this.#free[best]!.byteLength
      // One that holds `size` beats one that does not; among those that do, the smaller wins;
      // among those that do not, the larger (less to grow).
      if (n >= size ? b < size || n < b : b < size && n > b) best = i
    }
    return best < 0 ? undefined : this.#free.splice(best, 1)[0]
  }
}
