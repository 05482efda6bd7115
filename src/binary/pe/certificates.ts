import { anomaly, DIR } from './layout.js'
import { align, type ByteReader } from './reader.js'
import { region } from './region.js'
import type { PeCertificateEntry, PeFile } from './types.js'

const MAX_ENTRIES = 64

/**
 * The certificate table (data directory 4). Its "RVA" is a file offset; it holds 8-byte aligned
 * WIN_CERTIFICATE entries: dwLength, wRevision, wCertificateType, then the PKCS#7 SignedData.
 */
export function parseCertificateTable(r: ByteReader, pe: PeFile): void {
  const dir = pe.dataDirectories[DIR.certificate]
  if (!dir || (dir.rva === 0 && dir.size === 0)) return
  const offset = dir.rva
  const end = offset + dir.size
  if (dir.size < 8 || !r.has(offset, dir.size)) {
    anomaly(pe.anomalies, 'certificate-table-out-of-file', 'certificate table past end', offset)
    if (!r.has(offset, 8)) return
  }
  const limit = Math.min(end, r.size)
  const entries: PeCertificateEntry[] = []
  let at = offset
  while (at + 8 <= limit && entries.length < MAX_ENTRIES) {
    const length = r.u32(at)
    if (length < 8 || at + length > limit) {
      anomaly(pe.anomalies, 'certificate-entry-bad-length', `dwLength ${length}`, at)
      break
    }
    entries.push(entry(r, at, length))
    at += align(length, 8)
  }
  pe.certificateTable = { offset, size: dir.size, entries }
  if (at < limit) pe.certificateTable.slack = region(r.bytes, at, limit - at)
  if (offset % 8 !== 0)
    anomaly(pe.anomalies, 'certificate-table-unaligned', 'not 8-aligned', offset)
  if (end < r.size) {
    anomaly(pe.anomalies, 'data-after-certificate-table', `${r.size - end} bytes follow`, end)
  }
}

function entry(r: ByteReader, at: number, length: number): PeCertificateEntry {
  const e: PeCertificateEntry = {
    offset: at,
    length,
    revision: r.u16(at + 4),
    type: r.u16(at + 6),
    beyondAlignment: 0,
  }
  const der = derLength(r, at + 8, length - 8)
  if (der === undefined) return e
  e.derLength = der
  const trailing = length - 8 - der
  if (trailing > 0) e.trailing = region(r.bytes, at + 8 + der, trailing)
  e.beyondAlignment = Math.max(0, length - align(8 + der, 8))
  return e
}

/** Length of one DER/BER TLV (definite length) at `at`, if it fits in `max` bytes. */
export function derLength(r: ByteReader, at: number, max: number): number | undefined {
  if (max < 2 || !r.has(at, 2)) return undefined
  const first = r.u8(at + 1)
  let header = 2
  let len = first
  if (first & 0x80) {
    const n = first & 0x7f
    if (n === 0 || n > 4 || !r.has(at + 2, n)) return undefined
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + r.u8(at + 2 + i)
    header += n
  }
  const total = header + len
  return total <= max ? total : undefined
}
