/** RITA keeps at most this many timestamps per pair and 24 h; more is a strobe. */
export const SERIES_CAP = 86_400

/** Values per chunk of a pooled list. */
const CHUNK = 32

/**
 * One shared store of fixed-size uint32 chunks for every pair's series: a pair's list is a chain
 * of chunks, so a hundred thousand pairs cost two typed arrays in all, not two each (small typed
 * arrays are expensive for the garbage collector).
 */
export class ChunkPool {
  data = new Uint32Array(CHUNK * 64)
  next = new Int32Array(64)
  chunks = 0
  alloc(): number {
    if (this.chunks === this.next.length) {
      const data = new Uint32Array(this.data.length * 2)
      data.set(this.data)
      this.data = data
      const next = new Int32Array(this.next.length * 2)
      next.set(this.next)
      this.next = next
    }
    this.next[this.chunks] = -1
    return this.chunks++
  }
}

/** A growable list of uint32 values (whole seconds or byte counts) stored in a ChunkPool. */
export class U32List {
  private head = -1
  private tail = -1
  length = 0
  constructor(private readonly pool: ChunkPool) {}
  push(v: number): void {
    const at = this.length % CHUNK
    if (at === 0) {
      const c = this.pool.alloc()
      if (this.tail < 0) this.head = c
      else this.pool.next[this.tail] = c
      this.tail = c
    }
    this.pool.data[this.tail * CHUNK + at] = v
    this.length++
  }
  /** A copy of the values, in order. */
  values(): Uint32Array {
    const out = new Uint32Array(this.length)
    const { data, next } = this.pool
    let c = this.head
    for (let i = 0; i < this.length; i += CHUNK) {
      const base = c * CHUNK - i
      const end = Math.min(i + CHUNK, this.length)
      for (let k = i; k < end; k++) out[k] = data[base + k]!
      c = next[c]!
    }
    return out
  }
  /** Replaces the contents (the old chunks are abandoned; this happens only at the cap). */
  private reset(values: Uint32Array): void {
    this.head = -1
    this.tail = -1
    this.length = 0
    for (const v of values) this.push(v)
  }
  /** Keeps the values for which `keep` is true, in order. */
  filter(keep: (v: number) => boolean): void {
    this.reset(this.values().filter(keep))
  }
  /** Drops the oldest values so at most `n` remain. */
  keepLast(n: number): void {
    if (this.length > n) this.reset(this.values().subarray(this.length - n))
  }
}

const clampU32 = (v: number): number =>
  v <= 0 || !Number.isFinite(v) ? 0 : v >= 0xffffffff ? 0xffffffff : Math.floor(v)

/** Connection records buffered by pair id before they are added pair by pair (cache-friendly). */
export class ConnBlock {
  ids: Int32Array
  ts: Float64Array
  bytes: Float64Array
  dur: Float32Array
  line: Int32Array
  length = 0
  file = -1
  constructor(
    public capacity = 1024,
    readonly maxCapacity = 1 << 18,
  ) {
    this.ids = new Int32Array(capacity)
    this.ts = new Float64Array(capacity)
    this.bytes = new Float64Array(capacity)
    this.dur = new Float32Array(capacity)
    this.line = new Int32Array(capacity)
  }
  /** Doubles the block up to maxCapacity; false when already there (then flush instead). */
  grow(): boolean {
    if (this.capacity >= this.maxCapacity) return false
    const n = Math.min(this.maxCapacity, this.capacity * 2)
    const widen = <A extends Int32Array | Float64Array | Float32Array>(
      a: A,
      make: (n: number) => A,
    ): A => {
      const b = make(n)
      b.set(a)
      return b
    }
    this.ids = widen(this.ids, (k) => new Int32Array(k))
    this.ts = widen(this.ts, (k) => new Float64Array(k))
    this.bytes = widen(this.bytes, (k) => new Float64Array(k))
    this.dur = widen(this.dur, (k) => new Float32Array(k))
    this.line = widen(this.line, (k) => new Int32Array(k))
    this.capacity = n
    return true
  }
}

export type PairKind = 'ip' | 'sni' | 'url' | 'dns'

/**
 * Everything kept per (source, destination): the timestamps (whole seconds, like RITA) and
 * originator byte counts as typed arrays capped near SERIES_CAP, totals, and where it was seen.
 */
export class Pair {
  readonly ts: U32List
  readonly bytes: U32List
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
    pool: ChunkPool = new ChunkPool(),
  ) {
    this.ts = new U32List(pool)
    this.bytes = new U32List(pool)
  }

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
    this.pushSecond(clampU32(ts))
  }

  private pushSecond(v: number): void {
    if (this.strobe) return
    if (this.ts.length >= SERIES_CAP) this.compact()
    if (!this.strobe) this.ts.push(v)
  }

  /** Folds in the same pair as aggregated elsewhere (a worker thread's part of a file). */
  merge(o: {
    count: number
    first: number
    last: number
    duration: number
    firstLine: number
    lastLine: number
    strobe: boolean
    ts: Uint32Array
    bytes: Uint32Array
    file: number
  }): void {
    this.count += o.count
    this.duration += o.duration
    if (o.first < this.first) {
      this.first = o.first
      this.firstFile = o.file
      this.firstLine = o.firstLine
    }
    if (o.last >= this.last) {
      this.last = o.last
      this.lastFile = o.file
      this.lastLine = o.lastLine
    }
    this.strobe ||= o.strobe
    for (const v of o.ts) this.pushSecond(v)
    for (const v of o.bytes) this.addBytes(v)
  }

  /** Adds the block records `order[from, to)` (all of this pair, one file), in block order. */
  addRun(block: ConnBlock, order: Int32Array, from: number, to: number): void {
    // inlined addTime/addBytes: no doubles cross a call per record
    let first = this.first
    let last = this.last
    let duration = this.duration
    for (let k = from; k < to; k++) {
      const r = order[k]!
      const ts = block.ts[r]!
      if (ts < first) {
        first = ts
        this.firstFile = block.file
        this.firstLine = block.line[r]!
      }
      if (ts >= last) {
        last = ts
        this.lastFile = block.file
        this.lastLine = block.line[r]!
      }
      if (!this.strobe) {
        if (this.ts.length >= SERIES_CAP) {
          this.last = last
          this.compact()
        }
        if (!this.strobe) this.ts.push(ts <= 0 ? 0 : ts >= 0xffffffff ? 0xffffffff : Math.floor(ts))
      }
      if (this.bytes.length >= SERIES_CAP) this.bytes.keepLast(SERIES_CAP / 2)
      const b = block.bytes[r]!
      this.bytes.push(b <= 0 ? 0 : b >= 0xffffffff ? 0xffffffff : Math.floor(b))
      duration += block.dur[r]!
    }
    this.count += to - from
    this.first = first
    this.last = last
    this.duration = duration
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
