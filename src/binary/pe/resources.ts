import { anomaly, DIR, PE_LIMITS, rvaToOffset } from './layout.js'
import type { ByteReader } from './reader.js'
import type { PeFile, PeResource } from './types.js'

export const RT_VERSION = 16

interface Walk {
  r: ByteReader
  pe: PeFile
  base: number
  visited: Set<number>
  /** Directory entries left to look at: overlapping directories cannot multiply the work. */
  budget: number
}

/** The resource tree (data directory 2), flattened to type / name / language leaves. */
export function parseResources(r: ByteReader, pe: PeFile): void {
  const dir = pe.dataDirectories[DIR.resource]
  if (!dir || dir.rva === 0 || dir.size === 0) return
  const base = rvaToOffset(pe, dir.rva, 16)
  if (base === undefined) {
    anomaly(pe.anomalies, 'resource-directory-unmapped', `RVA 0x${dir.rva.toString(16)}`)
    return
  }
  walk({ r, pe, base, visited: new Set(), budget: PE_LIMITS.resourceEntries }, 0, [])
}

function walk(w: Walk, dirOffset: number, path: (number | string)[]): void {
  const { r, pe } = w
  const at = w.base + dirOffset
  if (w.visited.has(at)) {
    anomaly(pe.anomalies, 'resource-loop', 'resource directory visited twice', at)
    return
  }
  w.visited.add(at)
  if (!r.has(at, 16)) {
    anomaly(pe.anomalies, 'resource-directory-truncated', 'directory past end', at)
    return
  }
  const count = r.u16(at + 12) + r.u16(at + 14)
  for (let i = 0; i < count; i++) {
    if (--w.budget < 0) {
      if (w.budget === -1)
        anomaly(pe.anomalies, 'resource-budget-exhausted', 'too many entries', at)
      return
    }
    if (pe.resources.length >= PE_LIMITS.resources) {
      anomaly(pe.anomalies, 'many-resources', `more than ${PE_LIMITS.resources}`)
      return
    }
    const e = at + 16 + i * 8
    if (!r.has(e, 8)) {
      anomaly(pe.anomalies, 'resource-directory-truncated', 'entry past end', e)
      return
    }
    const id = entryId(w, r.u32(e))
    const target = r.u32(e + 4)
    const isDir = (target & 0x8000_0000) !== 0
    if (isDir && path.length < 2) walk(w, target & 0x7fff_ffff, [...path, id])
    else if (isDir) anomaly(pe.anomalies, 'resource-too-deep', 'directory below language level', e)
    else if (path.length === 2) leaf(w, target, path[0]!, path[1]!, typeof id === 'number' ? id : 0)
    else anomaly(pe.anomalies, 'resource-leaf-too-high', `data entry at level ${path.length}`, e)
  }
}

function entryId(w: Walk, raw: number): number | string {
  if ((raw & 0x8000_0000) === 0) return raw & 0xffff
  const off = w.base + (raw & 0x7fff_ffff)
  if (!w.r.has(off, 2)) return ''
  const len = Math.min(w.r.u16(off), 256)
  return w.r.has(off + 2, len * 2) ? w.r.utf16(off + 2, len) : ''
}

function leaf(w: Walk, entry: number, type: number | string, name: number | string, lang: number) {
  const { r, pe } = w
  const at = w.base + entry
  if (!r.has(at, 16)) {
    anomaly(pe.anomalies, 'resource-entry-truncated', 'data entry past end', at)
    return
  }
  const rva = r.u32(at)
  const size = r.u32(at + 4)
  const offset = rvaToOffset(pe, rva, Math.max(1, size))
  if (offset === undefined) {
    anomaly(pe.anomalies, 'resource-data-unmapped', `resource data RVA 0x${rva.toString(16)}`, at)
    return
  }
  const res: PeResource = { type, name, lang, offset, size }
  pe.resources.push(res)
}
