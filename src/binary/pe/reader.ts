/** Thrown by ByteReader on a read past the end; parsers turn it into an anomaly, never a crash. */
export class OutOfBounds extends Error {
  override name = 'OutOfBounds'
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {
    super(`read of ${length} bytes at offset ${offset} is past the end of the data`)
  }
}

/** Bounds-checked little-endian reads over a byte array. */
export class ByteReader {
  readonly size: number
  private readonly view: DataView
  /** The same bytes as a Buffer, made once, for native string decoding. */
  private readonly text: Buffer

  constructor(readonly bytes: Uint8Array) {
    this.size = bytes.length
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  has(offset: number, length: number): boolean {
    return (
      Number.isSafeInteger(offset) && offset >= 0 && length >= 0 && offset + length <= this.size
    )
  }

  check(offset: number, length: number): void {
    if (!this.has(offset, length)) throw new OutOfBounds(offset, length)
  }

  u8(offset: number): number {
    this.check(offset, 1)
    return this.view.getUint8(offset)
  }

  u16(offset: number): number {
    this.check(offset, 2)
    return this.view.getUint16(offset, true)
  }

  u32(offset: number): number {
    this.check(offset, 4)
    return this.view.getUint32(offset, true)
  }

  /** 64-bit value as a number; exact up to 2^53, which covers every real image base and RVA. */
  u64(offset: number): number {
    this.check(offset, 8)
    return this.view.getUint32(offset + 4, true) * 0x1_0000_0000 + this.view.getUint32(offset, true)
  }

  slice(offset: number, length: number): Uint8Array {
    this.check(offset, length)
    return this.bytes.subarray(offset, offset + length)
  }

  /** NUL-terminated single-byte string, at most `max` bytes; stops at the end of the data. */
  cstring(offset: number, max = 512): string {
    this.check(offset, 1)
    const end = Math.min(this.size, offset + max)
    let i = offset
    while (i < end && this.bytes[i] !== 0) i++
    return this.text.toString('latin1', offset, i)
  }

  /** UTF-16LE string of `chars` code units. */
  utf16(offset: number, chars: number): string {
    this.check(offset, chars * 2)
    let s = ''
    for (let i = 0; i < chars; i++)
      s += String.fromCharCode(this.view.getUint16(offset + i * 2, true))
    return s
  }

  /** NUL-terminated UTF-16LE string ending before `end`; returns the text and the offset after the NUL. */
  utf16z(offset: number, end: number, maxChars = 1024): { text: string; next: number } {
    let s = ''
    let i = offset
    const stop = Math.min(end, this.size)
    while (i + 2 <= stop && s.length < maxChars) {
      const c = this.view.getUint16(i, true)
      i += 2
      if (c === 0) return { text: s, next: i }
      s += String.fromCharCode(c)
    }
    return { text: s, next: i }
  }
}

/** Each byte as the code point of the same value (ISO 8859-1), decoded in one native call. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to
}
