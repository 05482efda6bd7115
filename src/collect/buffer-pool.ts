// Resizable ArrayBuffers are in Node 20 (V8 11), but in TypeScript's lib only from ES2024.
interface Resizable extends ArrayBuffer {
  resize(bytes: number): void
}
const resizable = (max: number): Resizable =>
  new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(0, {
    maxByteLength: max,
  })

/** What an arena keeps committed when given back: the next typical binary reuses it as is. */
const KEEP_BYTES = 8 * 1024 * 1024
/** Free arenas that keep KEEP_BYTES; the others give back all their memory. */
const KEEP_ARENAS = 2

/**
 * Large buffers for whole-file reads on one scan thread. A few resizable arenas are reused: one
 * grows to the file's size when taken and, given back, shrinks to at most KEEP_BYTES, which
 * returns the rest of its memory to the system at once (a fresh buffer per binary would linger
 * until a garbage collection: hundreds of MB of dead buffers in a scan of big binaries) and keeps
 * the pages a typical binary needs (faulting them in again cost 15% of a scan of /usr/lib's
 * libraries); only two free arenas keep pages. There is one arena per file a thread works on at
 * once; beyond that, a plain buffer is allocated (and freed only by a garbage collection). A
 * buffer must not be used after it is given back: the next file reuses it.
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
    const arena = size <= this.maxBytes ? this.#free.pop() : undefined
    if (!arena) return { buf: Buffer.allocUnsafeSlow(size), give: () => {} }
    arena.resize(size)
    let given = false
    return {
      buf: Buffer.from(arena, 0, size),
      give: () => {
        if (given) return
        given = true
        arena.resize(this.#free.length < KEEP_ARENAS ? Math.min(size, KEEP_BYTES) : 0)
        this.#free.push(arena)
      },
    }
  }
}
