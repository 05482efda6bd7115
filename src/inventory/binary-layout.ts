/**
 * Address maps and named sections of PE, Mach-O and ELF binaries, from the shared parsers
 * (peOf, machoOf, elfOf). Used by catalogers that read data the linker embedded: Go build info
 * (pointer format) and Rust `cargo auditable` sections.
 */

import { elfOf } from '../binary/elf/elf-of.js'
import { machoOf } from '../binary/macho/macho-of.js'
import { peOf } from '../binary/pe/pe-of.js'
import type { Artifact } from '../core/artifact.js'

/** Maps a virtual address to a file offset; undefined when unmapped. */
export type VaToOffset = (va: bigint) => number | undefined

interface Range {
  va: bigint
  size: bigint
  offset: number
}

function mapOf(ranges: Range[]): VaToOffset | undefined {
  if (ranges.length === 0) return undefined
  return (va) => {
    for (const r of ranges)
      if (va >= r.va && va < r.va + r.size) return r.offset + Number(va - r.va)
    return undefined
  }
}

/** File byte range of a section found by name. */
export interface SectionRange {
  offset: number
  size: number
}

export interface BinaryLayout {
  map?: VaToOffset
  sections: Map<string, SectionRange>
  /**
   * The first writable, non-executable data in the file, where linkers put initialised data (Go
   * looks there for its build info when it has no section of its own): ELF the first PT_LOAD
   * with PF_W and not PF_X; PE the first section that is exactly initialised data, read and
   * write; Mach-O the first segment with read-write protections.
   */
  writable?: SectionRange
}

const PE_RW_DATA = 0xc0000040 // IMAGE_SCN_CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE
const PE_ALIGN_32 = 0x00600000

async function peLayout(a: Artifact): Promise<BinaryLayout | undefined> {
  const pe = await peOf(a)
  if (!pe) return undefined
  const base = BigInt(pe.imageBase)
  const ranges: Range[] = []
  const sections = new Map<string, SectionRange>()
  for (const s of pe.sections) {
    const size = Math.min(s.rawSize, s.virtualSize || s.rawSize)
    ranges.push({ va: base + BigInt(s.virtualAddress), size: BigInt(size), offset: s.rawOffset })
    if (!sections.has(s.name)) sections.set(s.name, { offset: s.rawOffset, size })
  }
  const rw = pe.sections.find(
    (s) =>
      s.virtualAddress !== 0 &&
      s.rawSize !== 0 &&
      (s.characteristics & ~PE_ALIGN_32) >>> 0 === PE_RW_DATA,
  )
  const writable = rw && {
    offset: rw.rawOffset,
    size: Math.min(rw.rawSize, rw.virtualSize || rw.rawSize),
  }
  return withMap(ranges, sections, writable)
}

function withMap(
  ranges: Range[],
  sections: Map<string, SectionRange>,
  writable?: SectionRange,
): BinaryLayout {
  const map = mapOf(ranges)
  return { ...(map && { map }), sections, ...(writable && { writable }) }
}

/** Mach-O: the first slice (fat files carry the same modules in each slice). */
async function machoLayout(a: Artifact): Promise<BinaryLayout | undefined> {
  const m = await machoOf(a)
  const slice = m?.slices[0]
  if (!slice) return undefined
  const ranges: Range[] = []
  const sections = new Map<string, SectionRange>()
  for (const seg of slice.segments) {
    ranges.push({ va: BigInt(seg.vmaddr), size: BigInt(seg.fileSize), offset: seg.fileOffset })
    for (const s of seg.sections) {
      if (s.offset === 0) continue
      sections.set(`${s.segment},${s.name}`, { offset: s.offset, size: s.size })
      if (!sections.has(s.name)) sections.set(s.name, { offset: s.offset, size: s.size })
    }
  }
  const rw = slice.segments.find(
    (s) => s.vmaddr !== 0 && s.fileSize !== 0 && s.initProt === 3 && s.maxProt === 3,
  )
  return withMap(ranges, sections, rw && { offset: rw.fileOffset, size: rw.fileSize })
}

async function elfLayout(a: Artifact): Promise<BinaryLayout | undefined> {
  const elf = await elfOf(a)
  if (!elf) return undefined
  const ranges: Range[] = elf.programHeaders
    .filter((p) => p.typeCode === 1)
    .map((p) => ({ va: BigInt(p.vaddr), size: BigInt(p.fileSize), offset: p.offset }))
  const sections = new Map<string, SectionRange>()
  for (const s of elf.sections) {
    // SHT_NOBITS (8) occupies no file bytes; PT_LOAD is program header type 1.
    if (s.typeCode !== 8 && s.name && !sections.has(s.name))
      sections.set(s.name, { offset: s.offset, size: s.size })
  }
  const rw = elf.programHeaders.find(
    (p) => p.typeCode === 1 && p.flags.includes('W') && !p.flags.includes('E'),
  )
  return withMap(ranges, sections, rw && { offset: rw.offset, size: rw.fileSize })
}

function layoutOf(a: Artifact): Promise<BinaryLayout | undefined> | undefined {
  if (a.type === 'pe') return peLayout(a)
  if (a.type === 'macho' || a.type === 'macho-fat') return machoLayout(a)
  if (a.type === 'elf') return elfLayout(a)
  return undefined
}

/**
 * The layout of a PE, Mach-O or ELF artifact; undefined for other files or unparsable ones.
 * Memoised per artifact (the Go and Rust catalogers both ask).
 */
export async function binaryLayout(a: Artifact): Promise<BinaryLayout | undefined> {
  return a.memo('inventory:binary-layout', () => layoutOf(a))
}
