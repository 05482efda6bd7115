import { ByteReader, EntropyBudget, guarded, hex, type Truncated } from '../byte-reader.js'
import { roundedEntropy } from '../entropy.js'
import { parseCodeSignature } from './code-signature.js'
import {
  archName,
  FAT_MAGIC,
  FAT_MAGIC_64,
  FILE_TYPE_NAMES,
  LC,
  LOAD_COMMAND_NAMES,
  MH_CIGAM,
  MH_CIGAM_64,
  MH_MAGIC,
  MH_MAGIC_64,
  PLATFORM_NAMES,
} from './constants.js'
import type {
  FatArch,
  MachODylib,
  MachOFile,
  MachOSection,
  MachOSegment,
  MachOSlice,
  Overlay,
} from './types.js'

/** Bounds on hostile headers: more than this is recorded as an anomaly and not followed. */
export const MACHO_LIMITS = {
  maxFatArches: 32,
  maxLoadCommands: 4096,
  maxSectionsPerSegment: 1024,
}

/** True when the first bytes are a thin or universal Mach-O magic. */
export function isMachO(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false
  const be = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(0, false)
  if (be === FAT_MAGIC || be === FAT_MAGIC_64) {
    // Java class files share 0xCAFEBABE; their "arch count" is a class-file version (>= 45).
    const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, false)
    return n > 0 && n < 45
  }
  return be === MH_MAGIC || be === MH_MAGIC_64 || be === MH_CIGAM || be === MH_CIGAM_64
}

/** Parses a thin or universal (fat32/fat64) Mach-O. Pure; never throws on input bytes. */
export function parseMachO(bytes: Uint8Array): MachOFile {
  const file: MachOFile = {
    format: 'macho',
    container: 'thin',
    size: bytes.length,
    fatArches: [],
    slices: [],
    anomalies: [],
  }
  if (bytes.length < 4) {
    file.anomalies.push({ code: 'truncated', message: 'file is shorter than a Mach-O magic' })
    return file
  }
  const r = new ByteReader(bytes, false)
  const magic = r.be32(0)
  if (magic === FAT_MAGIC || magic === FAT_MAGIC_64) {
    parseFat(r, magic === FAT_MAGIC_64, file)
  } else {
    file.slices.push(parseSlice(bytes, 0, bytes.length))
  }
  for (const s of file.slices) file.anomalies.push(...s.anomalies)
  return file
}

function parseFat(r: ByteReader, is64: boolean, file: MachOFile): void {
  file.container = is64 ? 'fat64' : 'fat32'
  const onTrunc = (e: Truncated) =>
    file.anomalies.push({
      code: 'truncated',
      message: `fat header: ${e.message}`,
      offset: e.offset,
    })
  const count = guarded(() => r.be32(4), onTrunc)
  if (count === undefined) return
  let n = count
  if (n > MACHO_LIMITS.maxFatArches) {
    file.anomalies.push({
      code: 'too-many-fat-arches',
      message: `fat header declares ${count} architectures; reading the first ${MACHO_LIMITS.maxFatArches}`,
      offset: 4,
    })
    n = MACHO_LIMITS.maxFatArches
  }
  const entrySize = is64 ? 32 : 20
  let lastEnd = 8 + n * entrySize
  for (let i = 0; i < n; i++) {
    const at = 8 + i * entrySize
    const arch = guarded(() => readFatArch(r, at, is64), onTrunc)
    if (!arch) break
    file.fatArches.push(arch)
    const end = arch.offset + arch.size
    if (arch.size === 0 || arch.offset < 8 + n * entrySize || end > r.length) {
      file.anomalies.push({
        code: 'fat-arch-out-of-bounds',
        message: `${arch.arch} slice [${arch.offset}, ${end}) lies outside the ${r.length}-byte file`,
        offset: at,
      })
      continue
    }
    const overlap = file.slices.find((s) => arch.offset < s.offset + s.size && s.offset < end)
    if (overlap) {
      file.anomalies.push({
        code: 'fat-arch-overlap',
        message: `${arch.arch} slice overlaps the ${overlap.arch} slice`,
        offset: at,
      })
      continue
    }
    file.slices.push(parseSlice(r.bytes, arch.offset, arch.size))
    lastEnd = Math.max(lastEnd, end)
  }
  if (file.slices.length > 0 && lastEnd < r.length) {
    file.overlay = overlayOf(r.bytes, lastEnd, r.length)
  }
}

function readFatArch(r: ByteReader, at: number, is64: boolean): FatArch {
  const cpuType = r.be32(at)
  const cpuSubtype = r.be32(at + 4)
  const offset = is64 ? r.be64(at + 8) : r.be32(at + 8)
  const size = is64 ? r.be64(at + 16) : r.be32(at + 12)
  const align = is64 ? r.be32(at + 24) : r.be32(at + 16)
  return { cpuType, cpuSubtype, arch: archName(cpuType, cpuSubtype), offset, size, align }
}

export function overlayOf(bytes: Uint8Array, from: number, to: number): Overlay {
  return {
    offset: from,
    size: to - from,
    entropy: roundedEntropy(bytes, from, to),
    head: hex(bytes.subarray(from, Math.min(to, from + 16))),
  }
}

/** Parses one Mach-O image at `base` (file offset) of `size` bytes. */
function parseSlice(file: Uint8Array, base: number, size: number): MachOSlice {
  const bytes = file.subarray(base, base + size)
  const slice: MachOSlice = {
    offset: base,
    size: bytes.length,
    arch: 'unknown',
    cpuType: 0,
    cpuSubtype: 0,
    is64: false,
    bigEndian: false,
    fileType: 'unknown',
    flags: 0,
    loadCommands: [],
    dylibs: [],
    rpaths: [],
    segments: [],
    imageEnd: base,
    anomalies: [],
  }
  const add = (code: string, message: string, offset?: number) =>
    slice.anomalies.push({
      code,
      message,
      ...(offset === undefined ? {} : { offset: base + offset }),
    })
  if (bytes.length < 4) {
    add('truncated', 'image is shorter than a Mach-O header', 0)
    return slice
  }
  const magic = new ByteReader(bytes, false).be32(0)
  let le: boolean
  if (magic === MH_MAGIC || magic === MH_MAGIC_64) {
    le = false
    slice.is64 = magic === MH_MAGIC_64
  } else if (magic === MH_CIGAM || magic === MH_CIGAM_64) {
    le = true
    slice.is64 = magic === MH_CIGAM_64
  } else {
    add('bad-magic', `no Mach-O magic (found 0x${magic.toString(16).padStart(8, '0')})`, 0)
    return slice
  }
  slice.bigEndian = !le
  const r = new ByteReader(bytes, le)
  const headerSize = slice.is64 ? 32 : 28
  const header = guarded(
    () => ({
      cpuType: r.u32(4),
      cpuSubtype: r.u32(8),
      fileType: r.u32(12),
      ncmds: r.u32(16),
      sizeofcmds: r.u32(20),
      flags: r.u32(24),
    }),
    (e) => add('truncated', `Mach-O header: ${e.message}`, e.offset),
  )
  if (!header || !r.has(0, headerSize)) {
    if (header) add('truncated', 'Mach-O header is cut short', 0)
    return slice
  }
  slice.cpuType = header.cpuType
  slice.cpuSubtype = header.cpuSubtype
  slice.arch = archName(header.cpuType, header.cpuSubtype)
  slice.fileType = FILE_TYPE_NAMES[header.fileType] ?? `type-${header.fileType}`
  slice.flags = header.flags
  readLoadCommands(r, slice, headerSize, header.ncmds, header.sizeofcmds, add)
  finishSlice(r, slice, add)
  return slice
}

type Add = (code: string, message: string, offset?: number) => void

function readLoadCommands(
  r: ByteReader,
  slice: MachOSlice,
  headerSize: number,
  ncmds: number,
  sizeofcmds: number,
  add: Add,
): void {
  const cmdsEnd = headerSize + sizeofcmds
  if (cmdsEnd > r.length) add('truncated', `load commands end at ${cmdsEnd}, past the image`, 16)
  const end = Math.min(cmdsEnd, r.length)
  let n = ncmds
  if (n > MACHO_LIMITS.maxLoadCommands) {
    add('too-many-load-commands', `header declares ${ncmds} load commands`, 16)
    n = MACHO_LIMITS.maxLoadCommands
  }
  let at = headerSize
  for (let i = 0; i < n; i++) {
    if (at + 8 > end) {
      add('truncated', `load command ${i} of ${ncmds} starts past the load command area`, at)
      return
    }
    const cmd = r.u32(at)
    const cmdsize = r.u32(at + 4)
    if (cmdsize < 8 || at + cmdsize > end) {
      add('bad-load-command', `load command ${i} (0x${cmd.toString(16)}) has size ${cmdsize}`, at)
      return
    }
    const name = LOAD_COMMAND_NAMES[cmd] ?? `LC_0x${cmd.toString(16)}`
    slice.loadCommands.push({ cmd, name, offset: slice.offset + at, size: cmdsize })
    const cmdView = new ByteReader(r.bytes.subarray(at, at + cmdsize), r.le)
    guarded(
      () => readLoadCommand(cmdView, cmd, at, r, slice, add),
      (e) => add('truncated', `${name}: ${e.message}`, at),
    )
    at += cmdsize
  }
}

function readLoadCommand(
  c: ByteReader,
  cmd: number,
  at: number,
  r: ByteReader,
  slice: MachOSlice,
  add: Add,
): void {
  switch (cmd) {
    case LC.SEGMENT:
    case LC.SEGMENT_64:
      slice.segments.push(readSegment(c, cmd === LC.SEGMENT_64, at, r, slice, add))
      return
    case LC.LOAD_DYLIB:
    case LC.LOAD_WEAK_DYLIB:
    case LC.REEXPORT_DYLIB:
    case LC.LAZY_LOAD_DYLIB:
    case LC.LOAD_UPWARD_DYLIB:
      slice.dylibs.push(readDylib(c, DYLIB_KIND[cmd] ?? 'load'))
      return
    case LC.ID_DYLIB:
      slice.idDylib = readDylib(c, 'id')
      return
    case LC.RPATH:
      slice.rpaths.push(lcString(c, c.u32(8)))
      return
    case LC.LOAD_DYLINKER:
      slice.dylinker = lcString(c, c.u32(8))
      return
    case LC.UUID:
      slice.uuid = formatUuid(c.slice(8, 16))
      return
    case LC.BUILD_VERSION:
      slice.buildVersion = {
        platform: PLATFORM_NAMES[c.u32(8)] ?? `platform-${c.u32(8)}`,
        minOs: nibbleVersion(c.u32(12)),
        sdk: nibbleVersion(c.u32(16)),
        source: 'LC_BUILD_VERSION',
      }
      return
    case LC.VERSION_MIN_MACOSX:
    case LC.VERSION_MIN_IPHONEOS:
    case LC.VERSION_MIN_TVOS:
    case LC.VERSION_MIN_WATCHOS:
      slice.buildVersion ??= {
        platform: VERSION_MIN_PLATFORM[cmd] ?? 'unknown',
        minOs: nibbleVersion(c.u32(8)),
        sdk: nibbleVersion(c.u32(12)),
        source: LOAD_COMMAND_NAMES[cmd] ?? 'LC_VERSION_MIN',
      }
      return
    case LC.MAIN:
      slice.entryOffset = c.u64(8)
      return
    case LC.ENCRYPTION_INFO:
    case 0x2c:
      if (c.u32(16) !== 0) slice.encrypted = true
      return
    case LC.CODE_SIGNATURE: {
      if (slice.codeSignature) {
        add('duplicate-code-signature', 'more than one LC_CODE_SIGNATURE', at)
        return
      }
      const dataoff = c.u32(8)
      const datasize = c.u32(12)
      slice.codeSignature = parseCodeSignature(r, slice.offset, dataoff, datasize, add)
      return
    }
    default:
      noteTables(c, cmd, slice)
      return
  }
}

/** File ranges of symbol, string, relocation and linkedit tables (outside segments in .o files). */
const tableEnds = new WeakMap<MachOSlice, number>()
const LINKEDIT_DATA = new Set([
  0x1e,
  0x26,
  0x29,
  0x2b,
  0x2e,
  (0x33 | 0x80000000) >>> 0,
  (0x34 | 0x80000000) >>> 0,
])

function extend(slice: MachOSlice, off: number, size: number): void {
  if (off > 0 && size > 0) tableEnds.set(slice, Math.max(tableEnds.get(slice) ?? 0, off + size))
}

function noteTables(c: ByteReader, cmd: number, slice: MachOSlice): void {
  if (cmd === LC.SYMTAB) {
    extend(slice, c.u32(8), c.u32(12) * (slice.is64 ? 16 : 12))
    extend(slice, c.u32(16), c.u32(20))
  } else if (cmd === 0xb) {
    extend(slice, c.u32(48), c.u32(52) * 4)
    extend(slice, c.u32(56), c.u32(60) * 4)
    extend(slice, c.u32(64), c.u32(68) * 8)
    extend(slice, c.u32(72), c.u32(76) * 8)
  } else if (cmd === 0x22 || cmd === (0x22 | 0x80000000) >>> 0) {
    for (let o = 8; o < 48; o += 8) extend(slice, c.u32(o), c.u32(o + 4))
  } else if (LINKEDIT_DATA.has(cmd)) {
    extend(slice, c.u32(8), c.u32(12))
  }
}

const DYLIB_KIND: Record<number, MachODylib['kind']> = {
  [LC.LOAD_DYLIB]: 'load',
  [LC.LOAD_WEAK_DYLIB]: 'weak',
  [LC.REEXPORT_DYLIB]: 'reexport',
  [LC.LAZY_LOAD_DYLIB]: 'lazy',
  [LC.LOAD_UPWARD_DYLIB]: 'upward',
}

const VERSION_MIN_PLATFORM: Record<number, string> = {
  [LC.VERSION_MIN_MACOSX]: 'macos',
  [LC.VERSION_MIN_IPHONEOS]: 'ios',
  [LC.VERSION_MIN_TVOS]: 'tvos',
  [LC.VERSION_MIN_WATCHOS]: 'watchos',
}

function readDylib(c: ByteReader, kind: MachODylib['kind']): MachODylib {
  return {
    path: lcString(c, c.u32(8)),
    kind,
    currentVersion: dylibVersion(c.u32(16)),
    compatibilityVersion: dylibVersion(c.u32(20)),
  }
}

/** An `lc_str`: a NUL-terminated string at `offset` inside the load command. */
function lcString(c: ByteReader, offset: number): string {
  if (offset < 8 || offset >= c.length) return ''
  return c.cstr(offset, c.length - offset)
}

function dylibVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`
}

function nibbleVersion(v: number): string {
  const patch = v & 0xff
  const base = `${v >>> 16}.${(v >>> 8) & 0xff}`
  return patch ? `${base}.${patch}` : base
}

function formatUuid(b: Uint8Array): string {
  const h = hex(b).toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const ZEROFILL_TYPES = new Set([0x1, 0xc, 0x12])
const budgets = new WeakMap<MachOSlice, EntropyBudget>()

/** One entropy budget per image: segments and sections overlap by design (factor 3). */
function budgetOf(slice: MachOSlice, r: ByteReader): EntropyBudget {
  let b = budgets.get(slice)
  if (!b) {
    b = new EntropyBudget(r.length)
    budgets.set(slice, b)
  }
  return b
}

function readSegment(
  c: ByteReader,
  is64: boolean,
  at: number,
  r: ByteReader,
  slice: MachOSlice,
  add: Add,
): MachOSegment {
  const base = slice.offset
  const w = is64 ? 8 : 4
  const num = (o: number) => (is64 ? c.u64(o) : c.u32(o))
  const name = c.fixedStr(8, 16)
  const vmaddr = num(24)
  const vmsize = num(24 + w)
  const fileOffset = num(24 + 2 * w)
  const fileSize = num(24 + 3 * w)
  const p = 24 + 4 * w
  const maxProt = c.u32(p)
  const initProt = c.u32(p + 4)
  const nsects = c.u32(p + 8)
  const segEnd = fileOffset + fileSize
  if (segEnd > r.length) {
    add('segment-out-of-bounds', `segment ${name} ends at ${segEnd}, past the image`, at)
  }
  const seg: MachOSegment = {
    name,
    vmaddr,
    vmsize,
    fileOffset: base + fileOffset,
    fileSize,
    maxProt,
    initProt,
    entropy: budgetOf(slice, r).measure(r.bytes, fileOffset, segEnd),
    sections: [],
  }
  const sectSize = is64 ? 80 : 68
  const headerSize = p + 16
  if (nsects > MACHO_LIMITS.maxSectionsPerSegment || headerSize + nsects * sectSize > c.length) {
    add('bad-section-count', `segment ${name} declares ${nsects} sections`, at)
  }
  const n = Math.min(nsects, Math.floor((c.length - headerSize) / sectSize))
  for (let i = 0; i < n; i++) {
    seg.sections.push(readSection(c, headerSize + i * sectSize, is64, at, r, slice, add))
  }
  return seg
}

function readSection(
  c: ByteReader,
  s: number,
  is64: boolean,
  at: number,
  r: ByteReader,
  slice: MachOSlice,
  add: Add,
): MachOSection {
  const name = c.fixedStr(s, 16)
  const segment = c.fixedStr(s + 16, 16)
  const addr = is64 ? c.u64(s + 32) : c.u32(s + 32)
  const size = is64 ? c.u64(s + 40) : c.u32(s + 36)
  const o = is64 ? s + 48 : s + 40
  const offset = c.u32(o)
  const reloff = c.u32(o + 8)
  const nreloc = c.u32(o + 12)
  const flags = c.u32(o + 16)
  const type = flags & 0xff
  const zerofill = ZEROFILL_TYPES.has(type)
  if (!zerofill && size > 0 && offset + size > r.length) {
    add('section-out-of-bounds', `section ${segment},${name} ends past the image`, at + s)
  }
  extend(slice, reloff, nreloc * 8)
  const base = slice.offset
  return {
    name,
    segment,
    addr,
    size,
    offset: zerofill ? 0 : base + offset,
    type,
    entropy: zerofill ? 0 : budgetOf(slice, r).measure(r.bytes, offset, offset + size),
  }
}

/** Computes where the image ends and what lies after it. */
function finishSlice(r: ByteReader, slice: MachOSlice, add: Add): void {
  let end = slice.loadCommands.reduce((m, c) => Math.max(m, c.offset + c.size - slice.offset), 0)
  for (const seg of slice.segments) {
    if (seg.fileSize > 0) end = Math.max(end, seg.fileOffset - slice.offset + seg.fileSize)
  }
  end = Math.max(end, tableEnds.get(slice) ?? 0)
  if (budgets.get(slice)?.exhausted) {
    add('entropy-budget', 'overlapping segments or sections: entropy not measured for some', 0)
  }
  const sig = slice.codeSignature
  if (sig) end = Math.max(end, sig.offset - slice.offset + sig.size)
  end = Math.min(end, r.length)
  slice.imageEnd = slice.offset + end
  if (end < r.length && slice.loadCommands.length > 0) {
    slice.overlay = overlayOf(r.bytes, end, r.length)
    slice.overlay.offset += slice.offset
  }
  if (sig && slice.segments.length > 0) {
    const linkedit = slice.segments.find((s) => s.name === '__LINKEDIT')
    const sigEnd = sig.offset + sig.size
    if (linkedit && sigEnd > linkedit.fileOffset + linkedit.fileSize) {
      add('signature-outside-linkedit', 'code signature extends past __LINKEDIT', sig.offset)
    }
  }
}
