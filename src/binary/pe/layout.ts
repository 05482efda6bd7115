import type { Anomaly, PeFile } from './types.js'

/** Hard caps on what one PE may make the parser do. */
export const PE_LIMITS = {
  sections: 1024,
  importDescriptors: 4096,
  functionsPerImport: 65_536,
  totalImportedFunctions: 200_000,
  exports: 200_000,
  resources: 20_000,
  /** Resource directory entries visited in all, across the tree. */
  resourceEntries: 262_144,
  /** Bytes whose entropy is measured for sections, as a multiple of the file size (plus 1 MiB). */
  entropyBytesPerFileByte: 3,
  debugEntries: 64,
  nameLength: 512,
} as const

/** Records an anomaly; at most 256 in all and 16 of one code, so a flood cannot hide the rest. */
export function anomaly(list: Anomaly[], code: string, message: string, offset?: number): void {
  if (list.length >= 256) return
  let same = 0
  for (const a of list) if (a.code === code && ++same >= 16) return
  list.push(offset === undefined ? { code, message } : { code, message, offset })
}

const MAX_LOOKUP_STEPS = 20_000_000
const lookupSteps = new WeakMap<PeFile, number>()

/**
 * File offset of an RVA: inside a section's raw data, or inside the headers. `undefined` when the
 * RVA is not backed by file bytes (zero-filled virtual space or outside every section).
 */
export function rvaToOffset(pe: PeFile, rva: number, length = 1): number | undefined {
  if (!Number.isSafeInteger(rva) || rva < 0) return undefined
  // Each lookup scans the section table; a budget per file keeps many sections times many
  // lookups (hostile imports/exports) bounded. Past it, RVAs count as unmapped.
  const left = (lookupSteps.get(pe) ?? MAX_LOOKUP_STEPS) - pe.sections.length - 1
  lookupSteps.set(pe, left)
  if (left < 0) {
    if (left + pe.sections.length + 1 >= 0)
      anomaly(pe.anomalies, 'lookup-budget-exhausted', 'too many RVA lookups')
    return undefined
  }
  for (const s of pe.sections) {
    const span = Math.max(s.virtualSize, s.rawSize)
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
      const delta = rva - s.virtualAddress
      if (delta + length > s.rawSize) return undefined
      const off = s.rawOffset + delta
      return off + length <= pe.fileSize ? off : undefined
    }
  }
  if (rva + length <= pe.sizeOfHeaders && rva + length <= pe.fileSize) return rva
  return undefined
}

const MACHINES: Record<number, string> = {
  332: 'x86',
  34404: 'x64',
  43620: 'arm64',
  448: 'arm',
  452: 'arm',
  512: 'ia64',
  42561: 'arm64ec',
}

export function machineName(m: number): string {
  return MACHINES[m] ?? `machine-0x${m.toString(16)}`
}

export const DATA_DIRECTORY_NAMES = [
  'export',
  'import',
  'resource',
  'exception',
  'certificate',
  'base-relocation',
  'debug',
  'architecture',
  'global-ptr',
  'tls',
  'load-config',
  'bound-import',
  'iat',
  'delay-import',
  'clr-runtime',
  'reserved',
] as const

export const DIR = {
  export: 0,
  import: 1,
  resource: 2,
  certificate: 4,
  debug: 6,
  delayImport: 13,
  clr: 14,
} as const
