import { execFileSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { golden } from '../golden.js'
import { parseElf } from './parse.js'

const fixtures = fileURLToPath(new URL('../../../scripts/fixtures/elf/out/', import.meta.url))
const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url))
const LIBLZMA = '/usr/lib/x86_64-linux-gnu/liblzma.so.5'

describe('parseElf golden dumps', () => {
  for (const name of ['libvigilfix.so.1', 'libvigilfix32.so.1']) {
    it(name, () => {
      const [actual, expected] = golden(
        join(goldenDir, `${name}.golden.json`),
        parseElf(readFileSync(join(fixtures, name))),
      )
      expect(actual).toBe(expected)
    })
  }

  it('reads soname, runpath, version definitions, build-id and the package note of the fixture', () => {
    const elf = parseElf(readFileSync(join(fixtures, 'libvigilfix.so.1')))
    expect(elf).toMatchObject({
      sharedLibrary: true,
      soname: 'libvigilfix.so.1',
      runpath: ['$ORIGIN/../lib'],
      versionDefinitions: ['VIGILFIX_1.0', 'VIGILFIX_1.2'],
      packageNote: { type: 'deb', name: 'vigilfix', version: '1.2.3' },
    })
    expect(elf.buildId).toMatch(/^[0-9a-f]{40}$/)
    const v = elf.dynamicSymbols.find((s) => s.name === 'vigilfix_new')
    expect(v).toMatchObject({
      defined: true,
      version: 'VIGILFIX_1.2',
      binding: 'GLOBAL',
      type: 'FUNC',
    })
  })
})

describe.runIf(existsSync(LIBLZMA))('identifies liblzma', () => {
  it('by SONAME, XZ_* version definitions and lzma_* exports', () => {
    const elf = parseElf(readFileSync(LIBLZMA))
    expect(elf.soname).toBe('liblzma.so.5')
    expect(elf.versionDefinitions).toContain('XZ_5.0')
    const exported = elf.dynamicSymbols.filter((s) => s.defined && s.name.startsWith('lzma_'))
    expect(exported.map((s) => s.name)).toContain('lzma_code')
    expect(exported.every((s) => s.version?.startsWith('XZ_'))).toBe(true)
  })
})

function isElfFile(p: string): boolean {
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

interface Readelf {
  sections: { index: number; name: string; type: string; offset: number; size: number }[]
  symbols: { name: string; type: string; binding: string; defined: boolean; version?: string }[]
  needed: string[]
}

function readelf(file: string): Readelf {
  const out = execFileSync(
    'llvm-readelf',
    ['-W', '--section-headers', '--dyn-syms', '--needed-libs', file],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  )
  const r: Readelf = { sections: [], symbols: [], needed: [] }
  let mode = ''
  for (const line of out.split('\n')) {
    if (line.startsWith('Section Headers:')) mode = 'sections'
    else if (line.startsWith("Symbol table '.dynsym'")) mode = 'dynsym'
    else if (line.startsWith('NeededLibraries [')) mode = 'needed'
    else if (mode === 'sections') {
      const m = /^\s*\[\s*(\d+)\]\s(.*)$/.exec(line)
      if (!m || m[1] === '0') continue
      const t = m[2]!.trim().split(/\s+/)
      r.sections.push({
        index: Number(m[1]),
        name: t[0]!,
        type: t[1]!,
        offset: Number.parseInt(t[3]!, 16),
        size: Number.parseInt(t[4]!, 16),
      })
    } else if (mode === 'dynsym') {
      const m = /^\s*(\d+):\s+[0-9a-f]+\s+\S+\s+(\S+)\s+(\S+)\s+\S+\s+(\S+)\s?(.*)$/.exec(line)
      if (!m || m[1] === '0') continue
      const full = m[5]!
      const at = full.indexOf('@')
      r.symbols.push({
        name: at < 0 ? full : full.slice(0, at),
        type: m[2]!,
        binding: m[3]!,
        defined: m[4] !== 'UND',
        ...(at < 0 ? {} : { version: full.slice(at).replace(/^@@?/, '') }),
      })
    } else if (mode === 'needed') {
      if (line.startsWith(']')) mode = ''
      else if (line.trim()) r.needed.push(line.trim())
    }
  }
  return r
}

describe('parseElf cross-checked with llvm-readelf on real files', () => {
  const files = [
    ...corpusSample(),
    join(fixtures, 'libvigilfix.so.1'),
    join(fixtures, 'libvigilfix32.so.1'),
  ]
  it('samples enough files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })
  for (const file of files) {
    it(file, () => {
      const ours = parseElf(readFileSync(file))
      const peer = readelf(file)
      expect(ours.anomalies).toEqual([])
      expect(ours.sections.slice(1).map((s) => [s.index, s.name, s.offset, s.size])).toEqual(
        peer.sections.map((s) => [s.index, s.name, s.offset, s.size]),
      )
      const known = ours.sections.slice(1).map((s) => (s.type.startsWith('0x') ? '?' : s.type))
      expect(known).toEqual(peer.sections.map((s, i) => (known[i] === '?' ? '?' : s.type)))
      expect([...ours.needed].sort()).toEqual([...peer.needed].sort())
      expect(
        ours.dynamicSymbols.map((s) => ({
          name: s.name,
          type: s.type,
          binding: s.binding,
          defined: s.defined,
          ...(s.version ? { version: s.version } : {}),
        })),
      ).toEqual(peer.symbols)
    })
  }
})
