/** The parsed shape of an ELF file. */

export interface ElfAnomaly {
  code: string
  message: string
  offset?: number
}

export interface ElfFile {
  format: 'elf'
  class: 32 | 64
  endian: 'le' | 'be'
  osAbi: number
  /** `exec` | `dyn` | `rel` | `core` | `type-N`. */
  type: string
  machine: string
  machineCode: number
  entry: number
  /** True for a DYN object with no PT_INTERP (a shared library rather than a PIE executable). */
  sharedLibrary: boolean
  interpreter?: string
  programHeaders: ElfProgramHeader[]
  sections: ElfSection[]
  needed: string[]
  soname?: string
  rpath?: string[]
  runpath?: string[]
  /** Version definitions (`XZ_5.0`, …) this object provides. */
  versionDefinitions: string[]
  /** Versions required from each needed library (`libc.so.6` → `GLIBC_2.34`, …). */
  versionNeeds: Record<string, string[]>
  dynamicSymbols: ElfSymbol[]
  /** Total count when more were present than kept. */
  dynamicSymbolCount: number
  notes: ElfNote[]
  buildId?: string
  goBuildId?: string
  /** The systemd `.note.package` JSON (FDO packaging metadata), when present and valid. */
  packageNote?: Record<string, unknown>
  overlay?: { offset: number; size: number; entropy: number; head: string }
  anomalies: ElfAnomaly[]
}

export interface ElfProgramHeader {
  type: string
  typeCode: number
  flags: string
  offset: number
  vaddr: number
  fileSize: number
  memSize: number
  align: number
}

export interface ElfSection {
  index: number
  name: string
  type: string
  typeCode: number
  flags: number
  addr: number
  offset: number
  size: number
  link: number
  info: number
  entsize: number
  /** 0 for SHT_NOBITS (no bytes in the file). */
  entropy: number
}

export interface ElfSymbol {
  name: string
  binding: string
  type: string
  defined: boolean
  value: number
  size: number
  /** `XZ_5.0` for a symbol version; `hidden` marks a non-default (`@`) version. */
  version?: string
  hidden?: boolean
}

export interface ElfNote {
  /** Section name or `PT_NOTE`. */
  source: string
  owner: string
  type: number
  size: number
  /** Hex of the first 64 bytes of the descriptor. */
  desc: string
}
