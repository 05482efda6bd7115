import { anomaly, DIR, PE_LIMITS, rvaToOffset } from './layout.js'
import { type ByteReader, hex } from './reader.js'
import type { PeDebugEntry, PeFile } from './types.js'

const DEBUG_TYPES: Record<number, string> = {
  1: 'coff',
  2: 'codeview',
  3: 'fpo',
  4: 'misc',
  5: 'exception',
  6: 'fixup',
  9: 'borland',
  10: 'reserved10',
  11: 'clsid',
  12: 'vc-feature',
  13: 'pogo',
  14: 'iltcg',
  16: 'repro',
  20: 'ex-dllcharacteristics',
}

/** Debug directory (data directory 6): 28-byte entries; CodeView records carry the PDB path. */
export function parseDebug(r: ByteReader, pe: PeFile): void {
  const dir = pe.dataDirectories[DIR.debug]
  if (!dir || dir.rva === 0 || dir.size === 0) return
  const at = rvaToOffset(pe, dir.rva, 28)
  if (at === undefined) {
    anomaly(pe.anomalies, 'debug-directory-unmapped', `RVA 0x${dir.rva.toString(16)}`)
    return
  }
  const count = Math.min(Math.floor(dir.size / 28), PE_LIMITS.debugEntries)
  for (let i = 0; i < count; i++) {
    const e = at + i * 28
    if (!r.has(e, 28)) {
      anomaly(pe.anomalies, 'debug-directory-truncated', 'entry past end', e)
      return
    }
    const type = r.u32(e + 12)
    const entry: PeDebugEntry = {
      type,
      typeName: DEBUG_TYPES[type] ?? `type-${type}`,
      size: r.u32(e + 16),
      rawOffset: r.u32(e + 24),
      timeDateStamp: r.u32(e + 4),
    }
    if (type === 2) codeView(r, entry)
    pe.debug.push(entry)
  }
}

function codeView(r: ByteReader, entry: PeDebugEntry): void {
  const at = entry.rawOffset
  if (!r.has(at, 24) || entry.size < 24) return
  const sig = r.u32(at)
  if (sig === 0x53445352 && r.has(at, 24)) {
    // RSDS: GUID (16) + age (4) + UTF-8 path.
    entry.pdbGuid = guid(r.slice(at + 4, 16))
    entry.pdbAge = r.u32(at + 20)
    entry.pdbPath = utf8z(r, at + 24, Math.min(entry.size - 24, 1024))
  } else if (sig === 0x3031424e && r.has(at, 16)) {
    // NB10: offset (4) + signature (4) + age (4) + path.
    entry.pdbAge = r.u32(at + 12)
    entry.pdbPath = utf8z(r, at + 16, Math.min(entry.size - 16, 1024))
  }
}

function utf8z(r: ByteReader, at: number, max: number): string {
  const end = Math.min(r.size, at + Math.max(0, max))
  let i = at
  while (i < end && r.bytes[i] !== 0) i++
  return Buffer.from(r.bytes.subarray(at, i)).toString('utf8')
}

function guid(b: Uint8Array): string {
  const le = (s: number, n: number) => hex(Uint8Array.from(b.subarray(s, s + n)).reverse())
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${hex(b.subarray(8, 10))}-${hex(b.subarray(10, 16))}`
}
