import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { FILE_TYPES, type FileType } from '../core/artifact.js'
import { buildIntel } from './build-index.js'
import { HashBatch } from './hash-batch.js'
import { loadIntel } from './load.js'
import { foreignToPlatform, platformOf } from './platform.js'
import type { FileIndicator } from './records.js'

function weak(over: Partial<FileIndicator>): FileIndicator {
  return {
    kind: 'file',
    type: 'md5',
    value: 'c'.repeat(32),
    severity: 'high',
    id: 'x',
    source: 's',
    confidence: 'high',
    references: [],
    ...over,
  }
}

const kinds = (intel: ReturnType<typeof buildIntel>, type: FileType) =>
  [...intel.hashKindsFor(type)].sort()

describe('platformOf / foreignToPlatform', () => {
  it('reads the usual spellings, with an architecture suffix, and nothing else', () => {
    expect(
      ['windows', 'Win32', 'macos', 'darwin', 'linux-x86_64', 'windows-x64'].map(platformOf),
    ).toEqual(['windows', 'windows', 'macos', 'macos', 'linux', 'windows'])
    for (const p of ['any', 'source', 'macos/unknown', '', undefined, 'solarwinds/orion-platform'])
      expect(platformOf(p)).toBeUndefined()
  })

  it('rules out only the executable formats of other platforms', () => {
    const out = (p: string | undefined) => FILE_TYPES.filter((t) => foreignToPlatform(p, t))
    expect(out('windows')).toEqual(['elf', 'macho', 'macho-fat'])
    expect(out('macos')).toEqual(['pe', 'elf'])
    expect(out('linux-x86_64')).toEqual(['pe', 'macho', 'macho-fat'])
    expect(out('macos/unknown')).toEqual([])
    expect(out(undefined)).toEqual([])
  })
})

describe('hashKindsFor', () => {
  it('is SHA-256 alone without weak indicators', () => {
    const intel = buildIntel([weak({ type: 'sha256', value: 'a'.repeat(64) })], [])
    for (const t of FILE_TYPES) expect(kinds(intel, t)).toEqual(['sha256'])
  })

  it('adds a weak kind only for the types its platform allows', () => {
    const intel = buildIntel(
      [
        weak({ platform: 'windows' }),
        weak({ type: 'sha1', value: 'd'.repeat(40), platform: 'linux' }),
      ],
      [],
    )
    expect(kinds(intel, 'pe')).toEqual(['md5', 'sha256'])
    expect(kinds(intel, 'elf')).toEqual(['sha1', 'sha256'])
    expect(kinds(intel, 'macho')).toEqual(['sha256'])
    expect(kinds(intel, 'zip')).toEqual(['md5', 'sha1', 'sha256'])
    expect(kinds(intel, 'other')).toEqual(['md5', 'sha1', 'sha256'])
  })

  it('needs no weak hash for an indicator that names its sample SHA-256', () => {
    const intel = buildIntel([weak({ sampleSha256: 'a'.repeat(64) })], [])
    for (const t of FILE_TYPES) expect(kinds(intel, t)).toEqual(['sha256'])
  })

  it('counts a bulk batch for every type its template platform allows', () => {
    const template = {
      kind: 'file' as const,
      severity: 'high' as const,
      id: 'b',
      source: 's',
      confidence: 'high' as const,
      references: [],
    }
    const any = HashBatch.build('sha1', randomBytes(20 * 300), template)
    const mac = HashBatch.build('md5', randomBytes(16 * 300), { ...template, platform: 'macos' })
    const intel = buildIntel([], [], [any, mac])
    expect(kinds(intel, 'elf')).toEqual(['sha1', 'sha256'])
    expect(kinds(intel, 'macho')).toEqual(['md5', 'sha1', 'sha256'])
    expect(kinds(intel, 'pe')).toEqual(['sha1', 'sha256'])
  })

  it('bundled pack: no type needs SHA-1; MD5 only for the MD5-only samples, by platform', async () => {
    const { intel } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    const weakOnly = intel.records.filter(
      (r): r is FileIndicator =>
        r.kind === 'file' && (r.type === 'md5' || r.type === 'sha1') && !r.sampleSha256,
    )
    // 6 Windows MD5s, and POOLRAT's whose platform the facts give as 'macos/unknown'.
    expect(weakOnly.map((r) => r.platform).sort()).toEqual([
      'macos/unknown',
      ...Array(6).fill('windows'),
    ])
    for (const t of FILE_TYPES) expect(kinds(intel, t)).toEqual(['md5', 'sha256'])
    // With the uncertain-platform record aside, ELF and Mach-O need SHA-256 alone.
    const certain = buildIntel(
      intel.records.filter((r) => r.kind !== 'file' || r.platform !== 'macos/unknown'),
      intel.sources,
    )
    expect(kinds(certain, 'elf')).toEqual(['sha256'])
    expect(kinds(certain, 'macho')).toEqual(['sha256'])
    expect(kinds(certain, 'macho-fat')).toEqual(['sha256'])
    expect(kinds(certain, 'pe')).toEqual(['md5', 'sha256'])
    expect(kinds(certain, 'other')).toEqual(['md5', 'sha256'])
  })
})

describe('lookupHash through the sample SHA-256', () => {
  it('returns the weak record for its sample SHA-256 and still for its own hash', async () => {
    const { intel } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    const ffmpeg = '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896'
    const hits = intel.lookupHash('sha256', ffmpeg.toUpperCase())
    expect(hits.map((r) => [r.type, r.value])).toEqual([
      ['sha256', ffmpeg],
      ['sha1', 'bf939c9c261d27ee7bb92325cc588624fca75429'],
      ['md5', '74bc2d0b6680faa1a5a76b27e5479cbc'],
    ])
    expect(intel.lookupHash('md5', '74bc2d0b6680faa1a5a76b27e5479cbc')).toEqual([hits[2]])
    expect(intel.lookupHash('md5', ffmpeg)).toEqual([])
  })
})
