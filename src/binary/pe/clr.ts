import { anomaly, DIR, rvaToOffset } from './layout.js'
import type { ByteReader } from './reader.js'
import type { PeFile } from './types.js'

/** .NET: the CLR runtime header (data directory 14) and the metadata root's version string. */
export function parseClr(r: ByteReader, pe: PeFile): void {
  const dir = pe.dataDirectories[DIR.clr]
  if (!dir || dir.rva === 0 || dir.size === 0) return
  const at = rvaToOffset(pe, dir.rva, 72)
  if (at === undefined) {
    anomaly(pe.anomalies, 'clr-header-unmapped', `RVA 0x${dir.rva.toString(16)}`)
    pe.clr = { flags: 0 }
    return
  }
  pe.clr = { runtimeVersion: `${r.u16(at + 4)}.${r.u16(at + 6)}`, flags: r.u32(at + 16) }
  const meta = rvaToOffset(pe, r.u32(at + 8), 16)
  if (meta === undefined || r.u32(meta) !== 0x424a5342) return
  const len = Math.min(r.u32(meta + 12), 256)
  if (r.has(meta + 16, len)) {
    pe.clr.metadataVersion = r.cstring(meta + 16, len)
  }
}
