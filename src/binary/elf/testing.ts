/** Test helpers: real ELF files on this machine and `llvm-readelf` output read back as data. */
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const LIBLZMA = '/usr/lib/x86_64-linux-gnu/liblzma.so.5'

export function isElfFile(p: string): boolean {
  try {
    const st = statSync(p)
    if (!st.isFile() || st.size < 64 || st.size > 40 * 1024 * 1024) return false
    const fd = openSync(p, 'r')
    const b = Buffer.alloc(4)
    readSync(fd, b, 0, 4, 0)
    closeSync(fd)
    return b.readUInt32BE(0) === 0x7f454c46
  } catch {
    return false
  }
}

/** Thirty real ELF files spread over /usr/lib and /usr/bin (sorted, evenly spaced), plus liblzma. */
export function corpusSample(count = 30): string[] {
  const list: string[] = []
  for (const d of ['/usr/lib/x86_64-linux-gnu', '/usr/bin', '/usr/lib/aarch64-linux-gnu']) {
    if (!existsSync(d)) continue
    for (const n of readdirSync(d).sort()) if (isElfFile(join(d, n))) list.push(join(d, n))
  }
  const step = Math.max(1, Math.floor(list.length / count))
  const picked = list.filter((_, i) => i % step === 0).slice(0, count)
  if (existsSync(LIBLZMA) && !picked.includes(LIBLZMA)) picked.push(LIBLZMA)
  return picked
}

export interface Readelf {
  sections: { index: number; name: string; type: string; offset: number; size: number }[]
  symbols: { name: string; type: string; binding: string; defined: boolean; version?: string }[]
  needed: string[]
}

export function readelf(file: string): Readelf {
  const out = execFileSync(
    'llvm-readelf',
    ['-W', '--section-headers', '--dyn-syms', '--needed-libs', file],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  )
  const r: Readelf = { sections: [], symbols: [], needed: [] }
  let mode = ''
  for (const line of out.split('\n')) {
    if (line.startsWith('Section Headers:')) mode = 'sections'
    else if (line.startsWith("Symbol table '.dynsym'")) mode = 'dynsym'
    else if (line.startsWith('NeededLibraries [')) mode = 'needed'
    else if (mode === 'sections') sectionLine(line, r)
    else if (mode === 'dynsym') symbolLine(line, r)
    else if (mode === 'needed') {
      if (line.startsWith(']')) mode = ''
      else if (line.trim()) r.needed.push(line.trim())
    }
  }
  return r
}

function sectionLine(line: string, r: Readelf): void {
  const m = /^\s*\[\s*(\d+)\]\s(.*)$/.exec(line)
  if (!m || m[1] === '0') return
  const t = m[2]!.trim().split(/\s+/)
  r.sections.push({
    index: Number(m[1]),
    name: t[0]!,
    type: t[1]!,
    offset: Number.parseInt(t[3]!, 16),
    size: Number.parseInt(t[4]!, 16),
  })
}

function symbolLine(line: string, r: Readelf): void {
  const m = /^\s*(\d+):\s+[0-9a-f]+\s+\S+\s+(\S+)\s+(\S+)\s+\S+\s+(\S+)\s?(.*)$/.exec(line)
  if (!m || m[1] === '0') return
  const full = m[5]!
  const at = full.indexOf('@')
  r.symbols.push({
    name: at < 0 ? full : full.slice(0, at),
    type: m[2]!,
    binding: m[3]!,
    defined: m[4] !== 'UND',
    ...(at < 0 ? {} : { version: full.slice(at).replace(/^@@?/, '') }),
  })
}
