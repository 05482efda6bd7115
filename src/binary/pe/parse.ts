import { parseCertificateTable } from './certificates.js'
import { parseClr } from './clr.js'
import { parseDebug } from './debug.js'
import { parseExports } from './exports.js'
import { emptyPe, parseHeaders, peSignatureOffset } from './headers.js'
import { imphash } from './imphash.js'
import { parseDelayImports, parseImports } from './imports.js'
import { anomaly, PE_LIMITS } from './layout.js'
import { ByteReader, OutOfBounds } from './reader.js'
import { region } from './region.js'
import { parseResources } from './resources.js'
import type { PeFile } from './types.js'
import { parseVersionInfo } from './version-info.js'

/**
 * Parses a PE32 / PE32+ image. Pure and bounds-checked: malformed structure becomes `anomalies`,
 * never an exception. `undefined` only when the bytes carry no `MZ` … `PE\0\0` signature at all.
 */
export function parsePe(bytes: Uint8Array): PeFile | undefined {
  const r = new ByteReader(bytes)
  const peOffset = peSignatureOffset(r)
  if (peOffset === undefined) return undefined
  const pe = emptyPe(peOffset, bytes.length)
  if (!step(pe, 'headers', () => parseHeaders(r, pe)) || pe.format === 'unknown') return pe
  const budget = { functions: PE_LIMITS.totalImportedFunctions }
  step(pe, 'imports', () => parseImports(r, pe, budget))
  step(pe, 'delay-imports', () => parseDelayImports(r, pe, budget))
  pe.imphash = imphash(pe.imports)
  step(pe, 'exports', () => parseExports(r, pe))
  step(pe, 'resources', () => parseResources(r, pe))
  step(pe, 'version-info', () => parseVersionInfo(r, pe))
  step(pe, 'debug', () => parseDebug(r, pe))
  step(pe, 'clr', () => parseClr(r, pe))
  step(pe, 'certificates', () => parseCertificateTable(r, pe))
  findOverlay(pe, bytes)
  return pe
}

/** Runs one part of the parse; a read past the end becomes a `truncated-…` anomaly. */
function step(pe: PeFile, part: string, fn: () => void): boolean {
  try {
    fn()
    return true
  } catch (e) {
    if (e instanceof OutOfBounds) {
      anomaly(pe.anomalies, `truncated-${part}`, e.message, e.offset)
      return false
    }
    anomaly(pe.anomalies, 'internal-error', `${part}: ${e instanceof Error ? e.message : e}`)
    return false
  }
}

/** Bytes after the end of the headers and the last section's raw data, minus the certificate table. */
function findOverlay(pe: PeFile, bytes: Uint8Array): void {
  let end = Math.min(pe.sizeOfHeaders, bytes.length)
  for (const s of pe.sections) {
    if (s.rawSize > 0) end = Math.max(end, Math.min(bytes.length, s.rawOffset + s.rawSize))
  }
  let stop = bytes.length
  const cert = pe.certificateTable
  if (cert && cert.offset >= end && cert.offset < stop) stop = cert.offset
  if (stop > end) pe.overlay = region(bytes, end, stop - end)
}
