import { ByteReader, Truncated } from '../byte-reader.js'
import {
  newDict,
  PLIST_LIMITS,
  type PlistAnomaly,
  type PlistResult,
  type PlistValue,
} from './types.js'

/** Seconds between the Unix epoch and the Core Data epoch (2001-01-01T00:00:00Z). */
const CF_EPOCH = 978_307_200

class Stop extends Error {}

/**
 * Parses a binary property list (`bplist00`): trailer, offset table, then objects from the top
 * object down, with depth, cycle and total-object bounds.
 */
export function parseBinaryPlist(bytes: Uint8Array): PlistResult {
  const anomalies: PlistAnomaly[] = []
  const r = new ByteReader(bytes, false)
  if (bytes.length < 40) {
    anomalies.push({ code: 'truncated', message: 'binary plist shorter than header and trailer' })
    return { format: 'binary', anomalies }
  }
  const t = bytes.length - 32
  const offsetSize = r.u8(t + 6)
  const refSize = r.u8(t + 7)
  const numObjects = r.u64(t + 8)
  const top = r.u64(t + 16)
  const tableOffset = r.u64(t + 24)
  const sizesOk = [1, 2, 4, 8].includes(offsetSize) && [1, 2, 4, 8].includes(refSize)
  if (
    !sizesOk ||
    top >= numObjects ||
    tableOffset < 8 ||
    !r.has(tableOffset, numObjects * offsetSize) ||
    tableOffset + numObjects * offsetSize > t
  ) {
    anomalies.push({
      code: 'bad-trailer',
      message: 'binary plist trailer is inconsistent',
      offset: t,
    })
    return { format: 'binary', anomalies }
  }
  const dec = new Decoder(r, offsetSize, refSize, numObjects, tableOffset, t)
  try {
    const value = dec.object(top, 0)
    return { format: 'binary', value, anomalies }
  } catch (e) {
    if (e instanceof Truncated) {
      anomalies.push({ code: 'truncated', message: e.message, offset: e.offset })
    } else if (e instanceof Stop) {
      anomalies.push({ code: 'bad-object', message: e.message })
    } else throw e
    return { format: 'binary', anomalies }
  }
}

class Decoder {
  private objects = 0
  private readonly visiting = new Set<number>()

  constructor(
    private readonly r: ByteReader,
    private readonly offsetSize: number,
    private readonly refSize: number,
    private readonly numObjects: number,
    private readonly tableOffset: number,
    private readonly end: number,
  ) {}

  private uint(at: number, size: number): number {
    switch (size) {
      case 1:
        return this.r.u8(at)
      case 2:
        return this.r.u16(at)
      case 4:
        return this.r.u32(at)
      default:
        return this.r.u64(at)
    }
  }

  object(ref: number, depth: number): PlistValue {
    if (ref >= this.numObjects) throw new Stop(`object reference ${ref} out of range`)
    if (depth > PLIST_LIMITS.maxDepth) throw new Stop('nesting too deep')
    if (++this.objects > PLIST_LIMITS.maxObjects) throw new Stop('too many objects')
    if (this.visiting.has(ref)) throw new Stop(`object ${ref} contains itself`)
    const at = this.uint(this.tableOffset + ref * this.offsetSize, this.offsetSize)
    if (at < 8 || at >= this.end) throw new Stop(`object ${ref} at offset ${at} out of range`)
    this.visiting.add(ref)
    try {
      return this.decode(at, depth)
    } finally {
      this.visiting.delete(ref)
    }
  }

  private decode(at: number, depth: number): PlistValue {
    const marker = this.r.u8(at)
    const hi = marker >> 4
    const lo = marker & 0xf
    switch (hi) {
      case 0x0:
        if (lo === 0x8) return false
        if (lo === 0x9) return true
        return null
      case 0x1:
        return this.int(at + 1, lo)
      case 0x2:
        return lo === 2 ? this.r.view.getFloat32(this.at(at + 1, 4)) : this.float64(at + 1, lo)
      case 0x3:
        return new Date((CF_EPOCH + this.float64(at + 1, 3)) * 1000)
      case 0x4: {
        const [n, start] = this.length(at, lo)
        return new Uint8Array(this.r.slice(start, n))
      }
      case 0x5: {
        const [n, start] = this.length(at, lo)
        return Buffer.from(this.r.slice(start, n)).toString('latin1')
      }
      case 0x6: {
        const [n, start] = this.length(at, lo)
        return utf16be(this.r.slice(start, n * 2))
      }
      case 0x8:
        return this.uint(at + 1, Math.min(lo + 1, 8))
      case 0xa:
        return this.array(at, lo, depth)
      case 0xd:
        return this.dict(at, lo, depth)
      default:
        throw new Stop(`unknown object marker 0x${marker.toString(16)} at ${at}`)
    }
  }

  private at(offset: number, size: number): number {
    this.r.check(offset, size)
    return offset
  }

  private float64(at: number, lo: number): number {
    if (lo !== 3) throw new Stop(`real of 2^${lo} bytes`)
    return this.r.view.getFloat64(this.at(at, 8))
  }

  private int(at: number, lo: number): number {
    switch (lo) {
      case 0:
        return this.r.u8(at)
      case 1:
        return this.r.u16(at)
      case 2:
        return this.r.u32(at)
      case 3:
        return Number(this.r.view.getBigInt64(this.at(at, 8)))
      case 4:
        return Number(this.r.view.getBigInt64(this.at(at + 8, 8)))
      default:
        throw new Stop(`integer of 2^${lo} bytes`)
    }
  }

  /** Element count and where the payload starts (a 0xF nibble means an int object follows). */
  private length(at: number, lo: number): [number, number] {
    if (lo !== 0xf) return [lo, at + 1]
    const m = this.r.u8(at + 1)
    if (m >> 4 !== 1 || (m & 0xf) > 3) throw new Stop(`bad length marker at ${at + 1}`)
    const size = 1 << (m & 0xf)
    const n = this.int(at + 2, m & 0xf)
    if (n < 0 || n > this.end) throw new Stop(`length ${n} at ${at} exceeds the file`)
    return [n, at + 2 + size]
  }

  private refs(start: number, n: number): number[] {
    this.r.check(start, n * this.refSize)
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push(this.uint(start + i * this.refSize, this.refSize))
    return out
  }

  private array(at: number, lo: number, depth: number): PlistValue[] {
    const [n, start] = this.length(at, lo)
    return this.refs(start, n).map((ref) => this.object(ref, depth + 1))
  }

  private dict(at: number, lo: number, depth: number): PlistValue {
    const [n, start] = this.length(at, lo)
    const keys = this.refs(start, n)
    const values = this.refs(start + n * this.refSize, n)
    const d = newDict()
    for (let i = 0; i < n; i++) {
      const k = this.object(keys[i]!, depth + 1)
      if (typeof k !== 'string') throw new Stop('dict key is not a string')
      d[k] = this.object(values[i]!, depth + 1)
    }
    return d
  }
}

function utf16be(b: Uint8Array): string {
  const swapped = Buffer.from(b)
  swapped.swap16()
  return swapped.toString('utf16le')
}
