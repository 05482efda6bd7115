import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { golden } from '../golden.js'
import { parseElf } from './parse.js'
import { corpusSample, LIBLZMA, readelf } from './testing.js'

const fixtures = fileURLToPath(new URL('../../../scripts/fixtures/elf/out/', import.meta.url))
const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url))

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

const GO = '/usr/lib/go-1.19/bin/go'
const GOFMT = '/usr/lib/go-1.19/bin/gofmt'

describe.runIf(existsSync(GO) && existsSync(GOFMT))('Go build id', () => {
  it('agrees with `go tool buildid`', () => {
    const expected = execFileSync(GO, ['tool', 'buildid', GOFMT], { encoding: 'utf8' }).trim()
    expect(parseElf(readFileSync(GOFMT)).goBuildId).toBe(expected)
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
