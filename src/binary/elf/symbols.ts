import type { ByteReader } from '../byte-reader.js'
import { SHT, STB_NAMES, STT_NAMES } from './constants.js'
import type { ElfFile, ElfSection, ElfSymbol } from './types.js'

type Add = (code: string, message: string, offset?: number) => void

const MAX_VERSION_ENTRIES = 65_536

function strAt(r: ByteReader, tab: ElfSection | undefined, off: number): string {
  if (!tab || off >= tab.size || !r.has(tab.offset + off, 1)) return ''
  return r.cstr(tab.offset + off, Math.min(4096, tab.size - off))
}

/** Version index → name, from `.gnu.version_d` and `.gnu.version_r`. */
export interface VersionNames {
  byIndex: Map<number, string>
}

/** Reads `.gnu.version_d`: the versions this object defines (the base entry, its soname, left out). */
export function readVersionDefinitions(
  r: ByteReader,
  elf: ElfFile,
  names: VersionNames,
  add: Add,
): string[] {
  const sec = elf.sections.find((s) => s.typeCode === SHT.VERDEF)
  if (!sec) return []
  const tab = elf.sections[sec.link]
  const out: string[] = []
  let at = sec.offset
  const end = sec.offset + sec.size
  for (let i = 0; i < Math.min(sec.info, MAX_VERSION_ENTRIES); i++) {
    if (at + 20 > end) {
      add('bad-verdef', `version definition ${i} lies outside .gnu.version_d`, at)
      break
    }
    const flags = r.u16(at + 2)
    const ndx = r.u16(at + 4)
    const aux = r.u32(at + 12)
    const next = r.u32(at + 16)
    const name = at + aux + 8 <= end ? strAt(r, tab, r.u32(at + aux)) : ''
    names.byIndex.set(ndx, name)
    if ((flags & 1) === 0 && name) out.push(name)
    if (next === 0) break
    at += next
  }
  return out
}

/** Reads `.gnu.version_r`: versions needed from each library. */
export function readVersionNeeds(
  r: ByteReader,
  elf: ElfFile,
  names: VersionNames,
  add: Add,
): Record<string, string[]> {
  const sec = elf.sections.find((s) => s.typeCode === SHT.VERNEED)
  const out: Record<string, string[]> = Object.create(null)
  if (!sec) return out
  const tab = elf.sections[sec.link]
  let at = sec.offset
  const end = sec.offset + sec.size
  let budget = MAX_VERSION_ENTRIES
  for (let i = 0; i < Math.min(sec.info, MAX_VERSION_ENTRIES) && budget > 0; i++) {
    if (at + 16 > end) {
      add('bad-verneed', `version need ${i} lies outside .gnu.version_r`, at)
      break
    }
    const cnt = r.u16(at + 2)
    const file = strAt(r, tab, r.u32(at + 4))
    const list = out[file] ?? []
    out[file] = list
    let aux = at + r.u32(at + 8)
    for (let j = 0; j < cnt && budget-- > 0; j++) {
      if (aux + 16 > end) break
      const other = r.u16(aux + 6)
      const name = strAt(r, tab, r.u32(aux + 8))
      names.byIndex.set(other & 0x7fff, name)
      list.push(name)
      const next = r.u32(aux + 12)
      if (next === 0) break
      aux += next
    }
    const next = r.u32(at + 12)
    if (next === 0) break
    at += next
  }
  return out
}

/** Reads `.dynsym` with names, binding, type, definedness and symbol versions. */
export function readDynamicSymbols(
  r: ByteReader,
  elf: ElfFile,
  names: VersionNames,
  max: number,
  add: Add,
): void {
  const sec = elf.sections.find((s) => s.typeCode === SHT.DYNSYM)
  if (!sec) return
  const is64 = elf.class === 64
  const ent = Math.max(sec.entsize, is64 ? 24 : 16)
  const tab = elf.sections[sec.link]
  const versym = elf.sections.find((s) => s.typeCode === SHT.VERSYM)
  const count = Math.floor(sec.size / ent)
  elf.dynamicSymbolCount = Math.max(0, count - 1)
  if (count - 1 > max)
    add('too-many-symbols', `${count} dynamic symbols; keeping ${max}`, sec.offset)
  for (let i = 1; i < Math.min(count, max + 1); i++) {
    const at = sec.offset + i * ent
    if (!r.has(at, ent)) {
      add('truncated', `dynamic symbol ${i} lies past the end of the file`, at)
      break
    }
    const sym = symbolAt(r, at, is64, tab)
    if (versym) applyVersion(r, sym, versym, i, names)
    elf.dynamicSymbols.push(sym)
  }
}

function symbolAt(
  r: ByteReader,
  at: number,
  is64: boolean,
  tab: ElfSection | undefined,
): ElfSymbol {
  const info = is64 ? r.u8(at + 4) : r.u8(at + 12)
  const shndx = is64 ? r.u16(at + 6) : r.u16(at + 14)
  return {
    name: strAt(r, tab, r.u32(at)),
    binding: STB_NAMES[info >> 4] ?? `bind-${info >> 4}`,
    type: STT_NAMES[info & 0xf] ?? `type-${info & 0xf}`,
    defined: shndx !== 0,
    value: is64 ? r.u64(at + 8) : r.u32(at + 4),
    size: is64 ? r.u64(at + 16) : r.u32(at + 8),
  }
}

function applyVersion(
  r: ByteReader,
  sym: ElfSymbol,
  versym: ElfSection,
  i: number,
  names: VersionNames,
): void {
  if (i * 2 + 2 > versym.size || !r.has(versym.offset + i * 2, 2)) return
  const v = r.u16(versym.offset + i * 2)
  const name = (v & 0x7fff) > 1 ? names.byIndex.get(v & 0x7fff) : undefined
  if (!name) return
  sym.version = name
  if (v & 0x8000) sym.hidden = true
}
