import { ByteReader, EntropyBudget, guarded, hex, type Truncated } from '../byte-reader.js'
import { roundedEntropy } from '../entropy.js'
import {
  DT,
  EM_NAMES,
  ET_NAMES,
  NT_FDO_PACKAGING_METADATA,
  NT_GNU_BUILD_ID,
  NT_GO_BUILD_ID,
  PT,
  PT_NAMES,
  SHT,
  SHT_NAMES,
} from './constants.js'
import { readDynamicSymbols, readVersionDefinitions, readVersionNeeds } from './symbols.js'
import type { ElfFile, ElfProgramHeader, ElfSection } from './types.js'

/** Bounds on hostile headers. */
export const ELF_LIMITS = {
  maxProgramHeaders: 4096,
  maxSections: 65_536,
  maxDynamicEntries: 65_536,
  maxDynamicSymbols: 500_000,
  maxNotes: 256,
}

export function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x7f &&
    bytes[1] === 0x45 &&
    bytes[2] === 0x4c &&
    bytes[3] === 0x46
  )
}

type Add = (code: string, message: string, offset?: number) => void

/** Parses an ELF file. Pure; never throws on input bytes. */
export function parseElf(bytes: Uint8Array): ElfFile {
  const elf: ElfFile = {
    format: 'elf',
    class: 64,
    endian: 'le',
    osAbi: 0,
    type: 'unknown',
    machine: 'unknown',
    machineCode: 0,
    entry: 0,
    sharedLibrary: false,
    programHeaders: [],
    sections: [],
    needed: [],
    versionDefinitions: [],
    versionNeeds: {},
    dynamicSymbols: [],
    dynamicSymbolCount: 0,
    notes: [],
    anomalies: [],
  }
  const add: Add = (code, message, offset) =>
    elf.anomalies.push({ code, message, ...(offset === undefined ? {} : { offset }) })
  const onTrunc = (where: string) => (e: Truncated) =>
    add('truncated', `${where}: ${e.message}`, e.offset)
  if (!isElf(bytes) || bytes.length < 16) {
    add('bad-magic', 'not an ELF file', 0)
    return elf
  }
  const cls = bytes[4]
  const data = bytes[5]
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) {
    add('bad-ident', `ELF class ${cls} / data encoding ${data}`, 4)
    return elf
  }
  elf.class = cls === 1 ? 32 : 64
  elf.endian = data === 1 ? 'le' : 'be'
  elf.osAbi = bytes[7]!
  const r = new ByteReader(bytes, data === 1)
  const h = guarded(() => readHeader(r, elf.class === 64), onTrunc('ELF header'))
  if (!h) return elf
  elf.type = ET_NAMES[h.type] ?? `type-${h.type}`
  elf.machineCode = h.machine
  elf.machine = EM_NAMES[h.machine] ?? `machine-${h.machine}`
  elf.entry = h.entry
  const first = guarded(() => firstSection(r, h, elf.class === 64), onTrunc('section 0'))
  const shnum = h.shnum === 0 && first ? first.size : h.shnum
  const shstrndx = h.shstrndx === 0xffff && first ? first.link : h.shstrndx
  const phnum = h.phnum === 0xffff && first ? first.info : h.phnum
  elf.programHeaders = readProgramHeaders(r, h.phoff, phnum, h.phentsize, elf.class === 64, add)
  elf.sections = readSections(r, h.shoff, shnum, h.shentsize, shstrndx, elf.class === 64, add)
  const interp = elf.programHeaders.find((p) => p.typeCode === PT.INTERP)
  if (interp)
    elf.interpreter = guarded(
      () => r.cstr(interp.offset, Math.min(interp.fileSize, 4096)),
      onTrunc('PT_INTERP'),
    )
  elf.sharedLibrary = elf.type === 'dyn' && !interp
  guarded(() => readDynamic(r, elf, add), onTrunc('dynamic section'))
  guarded(() => {
    const names = { byIndex: new Map<number, string>() }
    elf.versionDefinitions = readVersionDefinitions(r, elf, names, add)
    elf.versionNeeds = readVersionNeeds(r, elf, names, add)
    readDynamicSymbols(r, elf, names, ELF_LIMITS.maxDynamicSymbols, add)
  }, onTrunc('dynamic symbols'))
  readNotes(r, elf, add)
  setOverlay(r, elf, h)
  return elf
}

interface Header {
  type: number
  machine: number
  entry: number
  phoff: number
  shoff: number
  phentsize: number
  phnum: number
  shentsize: number
  shnum: number
  shstrndx: number
}

function readHeader(r: ByteReader, is64: boolean): Header {
  if (is64) {
    return {
      type: r.u16(16),
      machine: r.u16(18),
      entry: r.u64(24),
      phoff: r.u64(32),
      shoff: r.u64(40),
      phentsize: r.u16(54),
      phnum: r.u16(56),
      shentsize: r.u16(58),
      shnum: r.u16(60),
      shstrndx: r.u16(62),
    }
  }
  return {
    type: r.u16(16),
    machine: r.u16(18),
    entry: r.u32(24),
    phoff: r.u32(28),
    shoff: r.u32(32),
    phentsize: r.u16(42),
    phnum: r.u16(44),
    shentsize: r.u16(46),
    shnum: r.u16(48),
    shstrndx: r.u16(50),
  }
}

/** Section 0 holds the real counts when they overflow the header fields. */
function firstSection(
  r: ByteReader,
  h: Header,
  is64: boolean,
): { size: number; link: number; info: number } | undefined {
  if (h.shoff === 0) return undefined
  return is64
    ? { size: r.u64(h.shoff + 32), link: r.u32(h.shoff + 40), info: r.u32(h.shoff + 44) }
    : { size: r.u32(h.shoff + 20), link: r.u32(h.shoff + 24), info: r.u32(h.shoff + 28) }
}

function readProgramHeaders(
  r: ByteReader,
  off: number,
  num: number,
  entsize: number,
  is64: boolean,
  add: Add,
): ElfProgramHeader[] {
  const out: ElfProgramHeader[] = []
  if (num === 0 || off === 0) return out
  const need = is64 ? 56 : 32
  if (entsize < need) {
    add('bad-phentsize', `program header entry size ${entsize}`, off)
    return out
  }
  if (num > ELF_LIMITS.maxProgramHeaders)
    add('too-many-program-headers', `${num} program headers`, off)
  const n = Math.min(num, ELF_LIMITS.maxProgramHeaders)
  for (let i = 0; i < n; i++) {
    const at = off + i * entsize
    if (!r.has(at, need)) {
      add('truncated', `program header ${i} lies past the end of the file`, at)
      break
    }
    const type = r.u32(at)
    const flags = is64 ? r.u32(at + 4) : r.u32(at + 24)
    const num = (o64: number, o32: number) => (is64 ? r.u64(at + o64) : r.u32(at + o32))
    const ph: ElfProgramHeader = {
      type: PT_NAMES[type] ?? `0x${type.toString(16)}`,
      typeCode: type,
      flags: `${flags & 4 ? 'R' : ''}${flags & 2 ? 'W' : ''}${flags & 1 ? 'E' : ''}`,
      offset: num(8, 4),
      vaddr: num(16, 8),
      fileSize: num(32, 16),
      memSize: num(40, 20),
      align: num(48, 28),
    }
    if (ph.fileSize > 0 && !r.has(ph.offset, ph.fileSize)) {
      add(
        'segment-out-of-bounds',
        `${ph.type} segment [${ph.offset}, +${ph.fileSize}) runs past the file`,
        at,
      )
    }
    out.push(ph)
  }
  return out
}

function readSections(
  r: ByteReader,
  off: number,
  num: number,
  entsize: number,
  shstrndx: number,
  is64: boolean,
  add: Add,
): ElfSection[] {
  const out: ElfSection[] = []
  if (num === 0 || off === 0) return out
  const need = is64 ? 64 : 40
  if (entsize < need) {
    add('bad-shentsize', `section header entry size ${entsize}`, off)
    return out
  }
  if (num > ELF_LIMITS.maxSections) add('too-many-sections', `${num} sections`, off)
  const n = Math.min(num, ELF_LIMITS.maxSections)
  const raw: (Omit<ElfSection, 'name' | 'entropy'> & { nameOff: number })[] = []
  for (let i = 0; i < n; i++) {
    const at = off + i * entsize
    if (!r.has(at, need)) {
      add('truncated', `section header ${i} lies past the end of the file`, at)
      break
    }
    const w = (o64: number, o32: number) => (is64 ? r.u64(at + o64) : r.u32(at + o32))
    const typeCode = r.u32(at + 4)
    raw.push({
      index: i,
      nameOff: r.u32(at),
      type: SHT_NAMES[typeCode] ?? `0x${typeCode.toString(16)}`,
      typeCode,
      flags: w(8, 8),
      addr: w(16, 12),
      offset: w(24, 16),
      size: w(32, 20),
      link: r.u32(at + (is64 ? 40 : 24)),
      info: r.u32(at + (is64 ? 44 : 28)),
      entsize: w(56, 36),
    })
  }
  const budget = new EntropyBudget(r.length)
  const strtab = raw[shstrndx]
  if (shstrndx !== 0 && !strtab) add('bad-shstrndx', `section name table index ${shstrndx}`, off)
  const inFile = (s: { typeCode: number }) => s.typeCode !== SHT.NOBITS && s.typeCode !== 0
  const requested = raw.reduce(
    (t, s) => t + (inFile(s) ? Math.max(0, Math.min(s.offset + s.size, r.length) - s.offset) : 0),
    0,
  )
  if (requested > budget.remaining)
    add('entropy-budget', 'overlapping sections: entropy not measured for some', off)
  for (const s of raw) {
    if (inFile(s) && s.size > 0 && !r.has(s.offset, s.size)) {
      add(
        'section-out-of-bounds',
        `section ${s.index} [${s.offset}, +${s.size}) runs past the file`,
        s.offset,
      )
    }
    const name = strtab ? sectionName(r, strtab, s.nameOff) : ''
    const { nameOff: _, ...rest } = s
    out.push(
      withLazyEntropy({ ...rest, name }, () =>
        inFile(s) ? budget.measure(r.bytes, s.offset, s.offset + s.size) : 0,
      ),
    )
  }
  return out
}

/**
 * Entropy is measured when first read: catalogers that only need the section table (Go build
 * info, cargo-auditable) never pay for it; summaries and golden dumps read it like a field.
 */
function withLazyEntropy(s: Omit<ElfSection, 'entropy'>, measure: () => number): ElfSection {
  let value: number | undefined
  return Object.defineProperty(s, 'entropy', {
    enumerable: true,
    get: () => {
      value ??= measure()
      return value
    },
  }) as ElfSection
}

function sectionName(
  r: ByteReader,
  strtab: { offset: number; size: number },
  nameOff: number,
): string {
  if (nameOff >= strtab.size || !r.has(strtab.offset + nameOff, 1)) return ''
  return r.cstr(strtab.offset + nameOff, Math.min(256, strtab.size - nameOff))
}

/** Maps a virtual address to a file offset through the PT_LOAD segments. */
export function vaddrToOffset(elf: ElfFile, vaddr: number): number | undefined {
  for (const p of elf.programHeaders) {
    if (p.typeCode !== PT.LOAD) continue
    if (vaddr >= p.vaddr && vaddr < p.vaddr + p.fileSize) return p.offset + (vaddr - p.vaddr)
  }
  return undefined
}

function readDynamic(r: ByteReader, elf: ElfFile, add: Add): void {
  const sec = elf.sections.find((s) => s.typeCode === SHT.DYNAMIC)
  const seg = elf.programHeaders.find((p) => p.typeCode === PT.DYNAMIC)
  const start = sec?.offset ?? seg?.offset
  const size = sec?.size ?? seg?.fileSize ?? 0
  if (start === undefined || size === 0) return
  const entries = dynamicEntries(r, start, size, elf.class === 64)
  const strings = dynamicStrings(elf, sec, entries)
  if (!strings) {
    add('no-dynamic-strings', 'dynamic section has no string table', start)
    return
  }
  const { offset, size: strSize } = strings
  const str = (v: number) =>
    v < strSize && r.has(offset + v, 1) ? r.cstr(offset + v, Math.min(4096, strSize - v)) : ''
  for (const [tag, val] of entries) {
    if (tag === DT.NEEDED) elf.needed.push(str(val))
    else if (tag === DT.SONAME) elf.soname = str(val)
    else if (tag === DT.RPATH) elf.rpath = str(val).split(':')
    else if (tag === DT.RUNPATH) elf.runpath = str(val).split(':')
  }
}

function dynamicEntries(
  r: ByteReader,
  start: number,
  size: number,
  is64: boolean,
): [number, number][] {
  const ent = is64 ? 16 : 8
  const entries: [number, number][] = []
  const n = Math.min(Math.floor(size / ent), ELF_LIMITS.maxDynamicEntries)
  for (let i = 0; i < n; i++) {
    const at = start + i * ent
    if (!r.has(at, ent)) break
    const tag = is64 ? r.u64(at) : r.u32(at)
    if (tag === DT.NULL) break
    entries.push([tag, is64 ? r.u64(at + 8) : r.u32(at + 4)])
  }
  return entries
}

/** The dynamic string table: the .dynamic section's linked section, else DT_STRTAB/DT_STRSZ. */
function dynamicStrings(
  elf: ElfFile,
  sec: ElfSection | undefined,
  entries: [number, number][],
): { offset: number; size: number } | undefined {
  const linked = sec ? elf.sections[sec.link] : undefined
  if (linked && linked.typeCode !== 0) return { offset: linked.offset, size: linked.size }
  const addr = entries.find(([t]) => t === DT.STRTAB)?.[1]
  const offset = addr === undefined ? undefined : vaddrToOffset(elf, addr)
  if (offset === undefined) return undefined
  return { offset, size: entries.find(([t]) => t === DT.STRSZ)?.[1] ?? 0 }
}

function readNotes(r: ByteReader, elf: ElfFile, add: Add): void {
  const regions: { source: string; offset: number; size: number }[] = elf.sections
    .filter((s) => s.typeCode === SHT.NOTE)
    .map((s) => ({ source: s.name, offset: s.offset, size: s.size }))
  if (regions.length === 0) {
    for (const p of elf.programHeaders) {
      if (p.typeCode === PT.NOTE)
        regions.push({ source: 'PT_NOTE', offset: p.offset, size: p.fileSize })
    }
  }
  for (const reg of regions) readNoteRegion(r, elf, reg, add)
}

function readNoteRegion(
  r: ByteReader,
  elf: ElfFile,
  reg: { source: string; offset: number; size: number },
  add: Add,
): void {
  let at = reg.offset
  const end = Math.min(reg.offset + reg.size, r.length)
  while (at + 12 <= end && elf.notes.length < ELF_LIMITS.maxNotes) {
    const namesz = r.u32(at)
    const descsz = r.u32(at + 4)
    const type = r.u32(at + 8)
    const nameAt = at + 12
    const descAt = nameAt + align4(namesz)
    if (descAt + descsz > end) {
      add('bad-note', `note in ${reg.source} at ${at} runs past its region`, at)
      return
    }
    const owner = namesz > 0 ? r.cstr(nameAt, namesz) : ''
    const desc = r.slice(descAt, descsz)
    elf.notes.push({
      source: reg.source,
      owner,
      type,
      size: descsz,
      desc: hex(desc.subarray(0, 64)),
    })
    noteFacts(elf, owner, type, desc)
    at = descAt + align4(descsz)
  }
}

function noteFacts(elf: ElfFile, owner: string, type: number, desc: Uint8Array): void {
  if (owner === 'GNU' && type === NT_GNU_BUILD_ID) elf.buildId = hex(desc)
  else if (owner === 'Go' && type === NT_GO_BUILD_ID)
    elf.goBuildId = Buffer.from(desc).toString('utf8')
  else if (owner === 'FDO' && type === NT_FDO_PACKAGING_METADATA && desc.length <= 65_536) {
    try {
      const text = Buffer.from(desc).toString('utf8').replace(/\0+$/, '')
      const v: unknown = JSON.parse(text)
      if (v && typeof v === 'object' && !Array.isArray(v))
        elf.packageNote = v as Record<string, unknown>
    } catch {
      elf.anomalies.push({ code: 'bad-package-note', message: '.note.package is not valid JSON' })
    }
  }
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4
}

/** Bytes after every section, segment and header table: not loaded, not described. */
function setOverlay(r: ByteReader, elf: ElfFile, h: Header): void {
  let end = elf.class === 64 ? 64 : 52
  for (const p of elf.programHeaders) end = Math.max(end, p.offset + p.fileSize)
  for (const s of elf.sections)
    if (s.typeCode !== SHT.NOBITS) end = Math.max(end, s.offset + s.size)
  if (h.phoff) end = Math.max(end, h.phoff + elf.programHeaders.length * h.phentsize)
  if (h.shoff) end = Math.max(end, h.shoff + elf.sections.length * h.shentsize)
  if (end >= r.length) return
  elf.overlay = {
    offset: end,
    size: r.length - end,
    entropy: roundedEntropy(r.bytes, end, r.length),
    head: hex(r.bytes.subarray(end, Math.min(r.length, end + 16))),
  }
}
