/** RITA keeps at most this many timestamps per pair and 24 h; more is a strobe. */
export const SERIES_CAP = 86_400

/** A growable list of uint32 values (whole seconds or byte counts) in a typed array. */
export class U32List {
  data: Uint32Array
  length = 0
  constructor(initial = 8) {
    this.data = new Uint32Array(initial)
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
  /** Keeps the values for which `keep` is true, in order. */
  filter(keep: (v: number) => boolean): void {
    let w = 0
    for (let r = 0; r < this.length; r++) {
      const v = this.data[r]!
      if (keep(v)) this.data[w++] = v
    }
    this.length = w
  }
  /** Drops the oldest values so at most `n` remain. */
  keepLast(n: number): void {
    if (this.length <= n) return
    this.data.copyWithin(0, this.length - n, this.length)
    this.length = n
  }
  values(): Uint32Array {
    return this.data.subarray(0, this.length)
  }
}

const clampU32 = (v: number): number =>
  v <= 0 || !Number.isFinite(v) ? 0 : v >= 0xffffffff ? 0xffffffff : Math.floor(v)

export type PairKind = 'ip' | 'sni' | 'url' | 'dns'

/**
 * Everything kept per (source, destination): the timestamps (whole seconds, like RITA) and
 * originator byte counts as typed arrays capped near SERIES_CAP, totals, and where it was seen.
 */
export class Pair {
  readonly ts = new U32List()
  readonly bytes = new U32List()
  count = 0
  first = Number.POSITIVE_INFINITY
  last = Number.NEGATIVE_INFINITY
  duration = 0
  /** Stopped storing timestamps: ≥ SERIES_CAP connections within 24 h. */
  strobe = false
  /** Proxies or server addresses the named traffic went through (up to 8). */
  via: string[] = []
  firstFile = -1
  firstLine = 0
  lastFile = -1
  lastLine = 0
  constructor(
    readonly kind: PairKind,
    readonly src: string,
    readonly dst: string,
  ) {}

  addTime(ts: number, file: number, line: number): void {
    this.count++
    if (!Number.isFinite(ts)) return
    if (ts < this.first) {
      this.first = ts
      this.firstFile = file
      this.firstLine = line
    }
    if (ts >= this.last) {
      this.last = ts
      this.lastFile = file
      this.lastLine = line
    }
    if (this.strobe) return
    if (this.ts.length >= SERIES_CAP) this.compact()
    if (!this.strobe) this.ts.push(clampU32(ts))
  }

  addBytes(bytes: number): void {
    if (!Number.isFinite(bytes)) return
    if (this.bytes.length >= SERIES_CAP) this.bytes.keepLast(SERIES_CAP / 2)
    this.bytes.push(clampU32(bytes))
  }

  addVia(address: string): void {
    if (address && this.via.length < 8 && !this.via.includes(address)) this.via.push(address)
  }

  /** Drops timestamps older than 24 h before the newest; still full means a strobe. */
  private compact(): void {
    const floor = Math.floor(this.last) - 86_400
    this.ts.filter((v) => v >= floor)
    if (this.ts.length >= SERIES_CAP) this.strobe = true
  }
}
