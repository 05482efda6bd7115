import { roundedEntropy } from './entropy.js'
/**
 * Bounds-checked reads over a byte buffer for the Mach-O, ELF and plist parsers. A read past the
 * end throws `Truncated`; parsers catch it at the edge of each structure and record an anomaly, so
 * no exception leaves a public parse function.
 */
export class Truncated extends Error {
  override name = 'Truncated'
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {
    super(`read of ${length} bytes at offset ${offset} is out of bounds`)
  }
}

export class ByteReader {
  readonly view: DataView
  /** The same bytes as a Buffer, made once, so strings decode without a view per string. */
  private readonly text: Buffer
  constructor(
    readonly bytes: Uint8Array,
    /** Little-endian multi-byte reads when true. */
    readonly le = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  get length(): number {
    return this.bytes.length
  }

  /** True when `length` bytes starting at `offset` are inside the buffer. */
  has(offset: number, length: number): boolean {
    return (
      Number.isSafeInteger(offset) &&
      Number.isSafeInteger(length) &&
      offset >= 0 &&
      length >= 0 &&
      offset + length <= this.bytes.length
    )
  }

  check(offset: number, length: number): void {
    if (!this.has(offset, length)) throw new Truncated(offset, length)
  }

  u8(offset: number): number {
    this.check(offset, 1)
    return this.bytes[offset]!
  }

  u16(offset: number): number {
    this.check(offset, 2)
    return this.view.getUint16(offset, this.le)
  }

  u32(offset: number): number {
    this.check(offset, 4)
    return this.view.getUint32(offset, this.le)
  }

  i32(offset: number): number {
    this.check(offset, 4)
    return this.view.getInt32(offset, this.le)
  }

  /** 64-bit unsigned read; values beyond 2^53 come back as Number.MAX_SAFE_INTEGER (never exact). */
  u64(offset: number): number {
    this.check(offset, 8)
    return this.le
      ? safeU64(this.view.getUint32(offset + 4, true), this.view.getUint32(offset, true))
      : safeU64(this.view.getUint32(offset, false), this.view.getUint32(offset + 4, false))
  }

  /** Big-endian u32 regardless of `le` (code signature blobs are always big-endian). */
  be32(offset: number): number {
    this.check(offset, 4)
    return this.view.getUint32(offset, false)
  }

  be64(offset: number): number {
    this.check(offset, 8)
    return safeU64(this.view.getUint32(offset, false), this.view.getUint32(offset + 4, false))
  }

  slice(offset: number, length: number): Uint8Array {
    this.check(offset, length)
    return this.bytes.subarray(offset, offset + length)
  }

  /** NUL-terminated string starting at `offset`, at most `max` bytes, read as latin1-safe UTF-8. */
  cstr(offset: number, max = 4096, end = this.bytes.length): string {
    this.check(offset, 0)
    const limit = Math.min(end, this.bytes.length, offset + max)
    let i = offset
    while (i < limit && this.bytes[i] !== 0) i++
    return this.text.toString('utf8', offset, i)
  }

  /** Fixed-width field padded with NULs (Mach-O segment and section names). */
  fixedStr(offset: number, width: number): string {
    this.check(offset, width)
    return this.cstr(offset, width)
  }
}

/** A u64 from its 32-bit halves (no BigInt); at or past 2^53 it is Number.MAX_SAFE_INTEGER. */
function safeU64(hi: number, lo: number): number {
  return hi >= 0x20_0000 ? Number.MAX_SAFE_INTEGER : hi * 0x1_0000_0000 + lo
}

/** Runs `fn`; a `Truncated` read becomes `undefined` and is reported through `onTruncated`. */
export function guarded<T>(fn: () => T, onTruncated: (e: Truncated) => void): T | undefined {
  try {
    return fn()
  } catch (e) {
    if (e instanceof Truncated) {
      onTruncated(e)
      return undefined
    }
    throw e
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/**
 * Bounds the bytes scanned for entropy in one file: hostile headers can point thousands of
 * sections at the same large range. Real files stay far below `factor × length`; past the budget
 * entropy is reported as 0 and `exhausted` is set so the parser can record an anomaly.
 */
export class EntropyBudget {
  private left: number
  exhausted = false

  constructor(length: number, factor = 3) {
    this.left = factor * length + 1_048_576
  }

  /** Bytes that can still be measured. */
  get remaining(): number {
    return this.left
  }

  measure(bytes: Uint8Array, start: number, end: number): number {
    const from = Math.max(0, Math.min(start, bytes.length))
    const n = Math.max(0, Math.min(end, bytes.length) - from)
    if (n > this.left) {
      this.exhausted = true
      return 0
    }
    this.left -= n
    return roundedEntropy(bytes, from, from + n)
  }
}
