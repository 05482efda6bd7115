/**
 * Open-addressing index of IPv4 (source, destination, port) triples → dense ids, with the keys
 * interleaved in one Int32Array so a lookup touches one cache line. The conn.log hot path uses it
 * instead of string keys.
 */
export class IpPairIndex {
  private table: Int32Array
  private mask: number
  size = 0

  constructor(initialSlots = 256) {
    this.table = new Int32Array(initialSlots * 4)
    this.mask = initialSlots - 1
  }

  private static hash(src: number, dst: number, port: number): number {
    let h = Math.imul(src ^ 0x5bd1e995, 0x9e3779b1)
    h = Math.imul(h ^ dst ^ (h >>> 15), 0x85ebca77)
    h = Math.imul(h ^ port ^ (h >>> 13), 0xc2b2ae3d)
    return (h ^ (h >>> 16)) >>> 0
  }

  /** The id of the triple; a new id (= previous size) when unseen. `isNew` tells which. */
  get(src: number, dst: number, port: number): number {
    const t = this.table
    let slot = IpPairIndex.hash(src, dst, port) & this.mask
    for (;;) {
      const o = slot * 4
      const id = t[o + 3]!
      if (id === 0) {
        t[o] = src
        t[o + 1] = dst
        t[o + 2] = port
        t[o + 3] = ++this.size
        this.isNew = true
        if (this.size * 2 > this.mask + 1) this.grow()
        return this.size - 1
      }
      if (t[o] === (src | 0) && t[o + 1] === (dst | 0) && t[o + 2] === port) {
        this.isNew = false
        return id - 1
      }
      slot = (slot + 1) & this.mask
    }
  }

  isNew = false

  private grow(): void {
    const old = this.table
    const slots = (this.mask + 1) * 2
    this.table = new Int32Array(slots * 4)
    this.mask = slots - 1
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 3] === 0) continue
      let slot = IpPairIndex.hash(old[o]!, old[o + 1]!, old[o + 2]!) & this.mask
      while (this.table[slot * 4 + 3] !== 0) slot = (slot + 1) & this.mask
      this.table.set(old.subarray(o, o + 4), slot * 4)
    }
  }
}

/** Dotted-quad IPv4 in `buf[s, e)` → its 32-bit value (as a signed int), or undefined. */
export function parseIpv4(buf: Buffer, s: number, e: number): number | undefined {
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = s; i < e; i++) {
    const c = buf[i]!
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined
      value = (value << 8) | part
      part = 0
      digits = 0
    } else {
      const d = c - 48
      if (d < 0 || d > 9 || ++digits > 3) return undefined
      part = part * 10 + d
      if (part > 255) return undefined
    }
  }
  if (dots !== 3 || digits === 0) return undefined
  return (value << 8) | part
}
