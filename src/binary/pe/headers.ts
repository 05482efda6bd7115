import { roundedEntropy } from '../entropy.js'
import { anomaly, DATA_DIRECTORY_NAMES, machineName, PE_LIMITS } from './layout.js'
import { type ByteReader, latin1 } from './reader.js'
import type { PeFile, PeSection } from './types.js'

/** Offset of the `PE\0\0` signature, or undefined when the bytes are not a PE image. */
export function peSignatureOffset(r: ByteReader): number | undefined {
  if (!r.has(0, 64) || r.u16(0) !== 0x5a4d) return undefined
  const e = r.u32(0x3c)
  if (!r.has(e, 4) || r.u32(e) !== 0x4550) return undefined
  return e
}

export function emptyPe(peOffset: number, fileSize: number): PeFile {
  return {
    format: 'unknown',
    machine: 0,
    arch: 'unknown',
    characteristics: 0,
    isDll: false,
    timeDateStamp: 0,
    subsystem: 0,
    dllCharacteristics: 0,
    imageBase: 0,
    entryPoint: 0,
    sizeOfImage: 0,
    sizeOfHeaders: 0,
    checksum: 0,
    fileAlignment: 0,
    sectionAlignment: 0,
    linkerVersion: '',
    offsets: { pe: peOffset, optionalHeader: peOffset + 24, checksum: 0, sectionTable: 0 },
    dataDirectories: [],
    sections: [],
    imports: [],
    resources: [],
    debug: [],
    fileSize,
    anomalies: [],
  }
}

/** COFF file header and optional header, including the data directories. */
export function parseHeaders(r: ByteReader, pe: PeFile): void {
  const coff = pe.offsets.pe + 4
  pe.machine = r.u16(coff)
  pe.arch = machineName(pe.machine)
  const sectionCount = r.u16(coff + 2)
  pe.timeDateStamp = r.u32(coff + 4)
  const optSize = r.u16(coff + 16)
  pe.characteristics = r.u16(coff + 18)
  pe.isDll = (pe.characteristics & 0x2000) !== 0
  const opt = coff + 20
  pe.offsets.optionalHeader = opt
  pe.offsets.sectionTable = opt + optSize
  pe.offsets.checksum = opt + 64
  parseOptionalHeader(r, pe, opt, optSize)
  parseSectionTable(r, pe, sectionCount, coff)
}

function parseOptionalHeader(r: ByteReader, pe: PeFile, opt: number, optSize: number): void {
  const magic = r.u16(opt)
  if (magic !== 0x10b && magic !== 0x20b) {
    anomaly(
      pe.anomalies,
      'bad-optional-magic',
      `optional header magic 0x${magic.toString(16)}`,
      opt,
    )
    return
  }
  const plus = magic === 0x20b
  pe.format = plus ? 'pe32+' : 'pe32'
  pe.linkerVersion = `${r.u8(opt + 2)}.${r.u8(opt + 3)}`
  pe.entryPoint = r.u32(opt + 16)
  pe.imageBase = plus ? r.u64(opt + 24) : r.u32(opt + 28)
  pe.sectionAlignment = r.u32(opt + 32)
  pe.fileAlignment = r.u32(opt + 36)
  pe.sizeOfImage = r.u32(opt + 56)
  pe.sizeOfHeaders = r.u32(opt + 60)
  pe.checksum = r.u32(opt + 64)
  pe.subsystem = r.u16(opt + 68)
  pe.dllCharacteristics = r.u16(opt + 70)
  const countAt = opt + (plus ? 108 : 92)
  const declared = r.u32(countAt)
  const dirStart = countAt + 4
  const fits = Math.max(0, Math.floor((opt + optSize - dirStart) / 8))
  if (declared > 16) anomaly(pe.anomalies, 'many-data-directories', `${declared} declared`, countAt)
  const count = Math.min(declared, 16, fits)
  if (count < Math.min(declared, 16)) {
    anomaly(pe.anomalies, 'data-directories-truncated', 'optional header too small', countAt)
  }
  for (let i = 0; i < count; i++) {
    const at = dirStart + i * 8
    if (i === 4) pe.offsets.certificateDirectory = at
    pe.dataDirectories.push({
      index: i,
      name: DATA_DIRECTORY_NAMES[i] ?? `dir-${i}`,
      rva: r.u32(at),
      size: r.u32(at + 4),
    })
  }
}

function parseSectionTable(r: ByteReader, pe: PeFile, declared: number, coff: number): void {
  const count = Math.min(declared, PE_LIMITS.sections)
  if (declared > PE_LIMITS.sections) {
    anomaly(pe.anomalies, 'many-sections', `${declared} sections, read ${count}`, coff + 2)
  }
  const symbols = r.u32(coff + 8)
  const symbolCount = r.u32(coff + 12)
  let entropyBudget = r.size * PE_LIMITS.entropyBytesPerFileByte + 1024 * 1024
  for (let i = 0; i < count; i++) {
    const at = pe.offsets.sectionTable + i * 40
    if (!r.has(at, 40)) {
      anomaly(pe.anomalies, 'section-table-truncated', `section ${i} header past end`, at)
      return
    }
    const s: PeSection = {
      name: sectionName(r, at, symbols, symbolCount),
      virtualSize: r.u32(at + 8),
      virtualAddress: r.u32(at + 12),
      rawSize: r.u32(at + 16),
      rawOffset: r.u32(at + 20),
      characteristics: r.u32(at + 36),
      entropy: 0,
    }
    const end = Math.min(r.size, s.rawOffset + s.rawSize)
    if (s.rawSize > 0 && s.rawOffset + s.rawSize > r.size) {
      anomaly(pe.anomalies, 'section-beyond-file', `section ${s.name} raw data past end`, at)
    }
    const span = Math.max(0, end - s.rawOffset)
    if (span <= entropyBudget) s.entropy = roundedEntropy(r.bytes, s.rawOffset, end)
    else if (entropyBudget >= 0) {
      anomaly(
        pe.anomalies,
        'entropy-budget-exhausted',
        `sections overlap: entropy of ${s.name} not measured`,
        at,
      )
    }
    entropyBudget -= span
    pe.sections.push(s)
  }
}

/** 8-byte name; `/N` names an entry of the COFF string table (object-style long names). */
function sectionName(r: ByteReader, at: number, symbols: number, symbolCount: number): string {
  const raw = r.slice(at, 8)
  const nul = raw.indexOf(0)
  const name = latin1(nul < 0 ? raw : raw.subarray(0, nul))
  const m = /^\/(\d+)$/.exec(name)
  if (!m || symbols === 0) return name
  const strings = symbols + symbolCount * 18
  const off = strings + Number(m[1])
  return r.has(off, 1) ? r.cstring(off, 256) : name
}
