// Resizable ArrayBuffers are in Node 20 (V8 11), but in TypeScript's lib only from ES2024.
interface Resizable extends ArrayBuffer {
  resize(bytes: number): void
}
const resizable = (max: number): Resizable =>
  new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(0, {
    maxByteLength: max,
  })

/**
 * Large buffers for whole-file reads on one scan thread. A few resizable arenas are reused: one
 * grows to the file's size when taken and shrinks to nothing when given back, which returns the
 * memory to the system at once; a fresh buffer per binary would instead linger until a garbage
 * collection (hundreds of MB of dead buffers in a scan of big binaries). When every arena is in
 * use, a plain buffer is allocated. A buffer must not be used after it is given back (a view of a
 * shrunk arena reads as empty).
 */
export class BufferPool {
  readonly #free: Resizable[] = []

  /** `arenas` reusable buffers of up to `maxBytes` each (address space only until used). */
  constructor(
    readonly maxBytes: number,
    arenas = 2,
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
        arena.resize(0)
        this.#free.push(arena)
      },
    }
  }
}
