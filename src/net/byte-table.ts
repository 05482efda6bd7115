/**
 * An open-addressing hash table keyed by byte ranges of a buffer, so the conn.log hot path finds
 * a pair from the bytes of its source, destination and port fields without creating strings.
 * Keys are copied once into an arena when first seen.
 */
export class ByteKeyTable<T> {
  private slots: Int32Array
  private hashes: Uint32Array
  private mask: number
  private arena = Buffer.alloc(4096)
  private used = 0
  private readonly offsets: number[] = []
  private readonly lengths: number[] = []
  readonly values: T[] = []

  constructor(initial = 256) {
    this.slots = new Int32Array(initial)
    this.hashes = new Uint32Array(initial)
    this.mask = initial - 1
  }

  get size(): number {
    return this.values.length
  }

  private lastSlot = 0
  private lastHash = 0

  /**
   * The value under the key `a | b | c` (three ranges of `buf`), or undefined; then `add3()` with
   * the same ranges stores one (no other call in between).
   */
  find3(
    buf: Buffer,
    as: number,
    ae: number,
    bs: number,
    be: number,
    cs: number,
    ce: number,
  ): T | undefined {
    let h = 0x811c9dc5
    for (let i = as; i < ae; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
    h = Math.imul(h ^ 0x7c, 0x01000193)
    for (let i = bs; i < be; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
    h = Math.imul(h ^ 0x7c, 0x01000193)
    for (let i = cs; i < ce; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
    h >>>= 0
    const len = ae - as + (be - bs) + (ce - cs) + 2
    let slot = h & this.mask
    for (;;) {
      const idx = this.slots[slot]!
      if (idx === 0) break
      if (this.hashes[slot] === h && this.same(idx - 1, len, buf, as, ae, bs, be, cs, ce)) {
        return this.values[idx - 1]!
      }
      slot = (slot + 1) & this.mask
    }
    this.lastSlot = slot
    this.lastHash = h
    return undefined
  }

  /** Stores `value` under the key that the previous `find3()` did not find. */
  add3(
    buf: Buffer,
    as: number,
    ae: number,
    bs: number,
    be: number,
    cs: number,
    ce: number,
    value: T,
  ): void {
    this.store(buf, as, ae, bs, be, cs, ce, ae - as + (be - bs) + (ce - cs) + 2)
    this.values.push(value)
    this.slots[this.lastSlot] = this.values.length
    this.hashes[this.lastSlot] = this.lastHash
    if (this.values.length * 2 > this.slots.length) this.grow()
  }

  private same(
    i: number,
    len: number,
    buf: Buffer,
    as: number,
    ae: number,
    bs: number,
    be: number,
    cs: number,
    ce: number,
  ): boolean {
    if (this.lengths[i] !== len) return false
    const a = this.arena
    let o = this.offsets[i]!
    for (let k = as; k < ae; k++) if (a[o++] !== buf[k]) return false
    if (a[o++] !== 0x7c) return false
    for (let k = bs; k < be; k++) if (a[o++] !== buf[k]) return false
    if (a[o++] !== 0x7c) return false
    for (let k = cs; k < ce; k++) if (a[o++] !== buf[k]) return false
    return true
  }

  private store(
    buf: Buffer,
    as: number,
    ae: number,
    bs: number,
    be: number,
    cs: number,
    ce: number,
    len: number,
  ): void {
    while (this.used + len > this.arena.length) {
      const next = Buffer.alloc(this.arena.length * 2)
      this.arena.copy(next, 0, 0, this.used)
      this.arena = next
    }
    this.offsets.push(this.used)
    this.lengths.push(len)
    let o = this.used
    o += buf.copy(this.arena, o, as, ae)
    this.arena[o++] = 0x7c
    o += buf.copy(this.arena, o, bs, be)
    this.arena[o++] = 0x7c
    buf.copy(this.arena, o, cs, ce)
    this.used += len
  }

  private grow(): void {
    const size = this.slots.length * 2
    const slots = new Int32Array(size)
    const hashes = new Uint32Array(size)
    const mask = size - 1
    for (let s = 0; s < this.slots.length; s++) {
      const idx = this.slots[s]!
      if (idx === 0) continue
      let t = this.hashes[s]! & mask
      while (slots[t] !== 0) t = (t + 1) & mask
      slots[t] = idx
      hashes[t] = this.hashes[s]!
    }
    this.slots = slots
    this.hashes = hashes
    this.mask = mask
  }
}
