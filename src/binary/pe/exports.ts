import { anomaly, DIR, PE_LIMITS, rvaToOffset } from './layout.js'
import type { ByteReader } from './reader.js'
import type { PeExportedFunction, PeFile } from './types.js'

/** Export directory (data directory 0): address table, name pointers and name ordinals. */
export function parseExports(r: ByteReader, pe: PeFile): void {
  const dir = pe.dataDirectories[DIR.export]
  if (!dir || dir.rva === 0 || dir.size === 0) return
  const at = rvaToOffset(pe, dir.rva, 40)
  if (at === undefined) {
    anomaly(pe.anomalies, 'export-directory-unmapped', `export RVA 0x${dir.rva.toString(16)}`)
    return
  }
  const nameOff = rvaToOffset(pe, r.u32(at + 12))
  const base = r.u32(at + 16)
  const fnCount = r.u32(at + 20)
  const nameCount = r.u32(at + 24)
  const fnTable = r.u32(at + 28)
  const nameTable = r.u32(at + 32)
  const ordTable = r.u32(at + 36)
  if (fnCount > PE_LIMITS.exports || nameCount > PE_LIMITS.exports) {
    anomaly(pe.anomalies, 'many-exports', `${fnCount} functions, ${nameCount} names`, at)
  }
  const names = exportNames(r, pe, Math.min(nameCount, PE_LIMITS.exports), nameTable, ordTable)
  const functions: PeExportedFunction[] = []
  const fnOff = rvaToOffset(pe, fnTable, 4)
  const count = Math.min(fnCount, PE_LIMITS.exports)
  for (let i = 0; fnOff !== undefined && i < count; i++) {
    if (!r.has(fnOff + i * 4, 4)) {
      anomaly(pe.anomalies, 'export-table-truncated', 'address table past end', fnOff + i * 4)
      break
    }
    const rva = r.u32(fnOff + i * 4)
    if (rva === 0) continue
    const f: PeExportedFunction = { ordinal: base + i, rva }
    const name = names.get(i)
    if (name !== undefined) f.name = name
    if (rva >= dir.rva && rva < dir.rva + dir.size) {
      const off = rvaToOffset(pe, rva)
      if (off !== undefined) f.forwarder = r.cstring(off, PE_LIMITS.nameLength)
    }
    functions.push(f)
  }
  pe.exports = {
    dllName: nameOff === undefined ? '' : r.cstring(nameOff, PE_LIMITS.nameLength),
    timeDateStamp: r.u32(at + 4),
    ordinalBase: base,
    functions,
  }
}

/** Address-table index → name. */
function exportNames(
  r: ByteReader,
  pe: PeFile,
  count: number,
  nameTable: number,
  ordTable: number,
): Map<number, string> {
  const names = new Map<number, string>()
  const nOff = rvaToOffset(pe, nameTable, 4)
  const oOff = rvaToOffset(pe, ordTable, 2)
  if (count === 0 || nOff === undefined || oOff === undefined) return names
  for (let i = 0; i < count; i++) {
    if (!r.has(nOff + i * 4, 4) || !r.has(oOff + i * 2, 2)) {
      anomaly(pe.anomalies, 'export-names-truncated', 'name tables past end', nOff + i * 4)
      break
    }
    const off = rvaToOffset(pe, r.u32(nOff + i * 4))
    if (off === undefined) continue
    const index = r.u16(oOff + i * 2)
    if (!names.has(index)) names.set(index, r.cstring(off, PE_LIMITS.nameLength))
  }
  return names
}
