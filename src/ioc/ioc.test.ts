import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Artifact } from '../core/artifact.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import type { ArtifactContext } from '../core/plugin.js'
import { buildIntel } from '../intel/build-index.js'
import type { FileIndicator } from '../intel/records.js'
import { fileHashDetector } from './file-hash.js'
import { fileNameDetector } from './file-name.js'

const content = Buffer.from('pretend trojanised ffmpeg.dll')
const sha256 = createHash('sha256').update(content).digest('hex')
const md5 = createHash('md5').update(content).digest('hex')

function artifact(path: string, hashes: Artifact['hashes']): Artifact {
  return {
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    size: content.length,
    type: 'other',
    hashes,
    depth: 0,
    bytes: async () => content,
    memo: async (_k, make) => make(),
  }
}

function indicator(over: Partial<FileIndicator>): FileIndicator {
  return {
    kind: 'file',
    type: 'sha256',
    value: sha256,
    severity: 'critical',
    id: 'vigil-pack/3cx-ffmpeg-dll-win',
    source: 'vigil-pack',
    confidence: 'high',
    references: ['https://example.org/3cx'],
    campaign: '3CX SmoothOperator',
    actor: 'Lazarus',
    ...over,
  }
}

function ctx(records: FileIndicator[]): ArtifactContext {
  return {
    intel: buildIntel(records, []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: () => {},
    summarize: () => {},
  }
}

describe('ioc/file-hash', () => {
  it('reports a SHA-256 match at the record severity with id, source and references', async () => {
    const [f, ...rest] = await fileHashDetector.detect!(
      artifact('app/ffmpeg.dll', { sha256 }),
      ctx([indicator({})]),
    )
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      ruleId: 'ioc/file-sha256',
      layer: 'ioc',
      severity: 'critical',
      confidence: 'high',
      locations: [{ path: 'app/ffmpeg.dll' }],
      references: ['https://example.org/3cx'],
      context: { campaign: '3CX SmoothOperator', actor: 'Lazarus' },
    })
    expect(f!.evidence).toEqual([
      expect.objectContaining({
        kind: 'hash-match',
        indicatorType: 'sha256',
        matched: sha256,
        recordId: 'vigil-pack/3cx-ffmpeg-dll-win',
        source: 'vigil-pack',
        references: ['https://example.org/3cx'],
      }),
    ])
  })

  it('matches MD5 only when the artifact carries it, one finding per kind', async () => {
    const records = [indicator({ type: 'md5', value: md5, severity: 'high', id: 'm' })]
    const found = await fileHashDetector.detect!(artifact('x', { sha256, md5 }), ctx(records))
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([['ioc/file-md5', 'high']])
  })

  it('stays silent on a clean twin', async () => {
    const clean = createHash('sha256').update('the genuine ffmpeg.dll').digest('hex')
    expect(
      await fileHashDetector.detect!(
        artifact('app/ffmpeg.dll', { sha256: clean }),
        ctx([indicator({})]),
      ),
    ).toEqual([])
  })
})

describe('ioc/file-hash with weak indicators', () => {
  const sha1 = createHash('sha1').update(content).digest('hex')
  const sample = [
    indicator({ id: 's256' }),
    indicator({ type: 'sha1', value: sha1, id: 's1', sampleSha256: sha256, platform: 'windows' }),
    indicator({ type: 'md5', value: md5, id: 'm5', sampleSha256: sha256, platform: 'windows' }),
  ]

  /** The hashes the collector computes for a file of this type, as hashKindsFor() says. */
  function collected(records: FileIndicator[], type: Artifact['type']): Artifact['hashes'] {
    const kinds = buildIntel(records, []).hashKindsFor(type)
    return {
      sha256,
      ...(kinds.has('sha1') && { sha1 }),
      ...(kinds.has('md5') && { md5 }),
    }
  }

  it('matches SHA-1/MD5 records through their sample SHA-256 and says so', async () => {
    const hashes = collected(sample, 'pe')
    expect(hashes).toEqual({ sha256 })
    const found = await fileHashDetector.detect!(
      { ...artifact('app/ffmpeg.dll', hashes), type: 'pe' },
      ctx(sample),
    )
    expect(found.map((f) => [f.ruleId, f.title])).toEqual([
      ['ioc/file-sha256', 'File SHA-256 matches intel: 3CX SmoothOperator'],
      ['ioc/file-sha1', 'File is the sample of an intel SHA-1 indicator: 3CX SmoothOperator'],
      ['ioc/file-md5', 'File is the sample of an intel MD5 indicator: 3CX SmoothOperator'],
    ])
    const viaMd5 = found[2]!
    expect(viaMd5.message).toBe(
      `app/ffmpeg.dll has SHA-256 ${sha256}, that of the sample whose MD5 ${md5} intel lists as m5 (vigil-pack) (campaign 3CX SmoothOperator, actor Lazarus).`,
    )
    expect(viaMd5.evidence).toEqual([
      expect.objectContaining({
        kind: 'hash-match',
        indicatorType: 'md5',
        indicator: md5,
        matched: sha256,
        matchedBy: 'sha256',
        recordId: 'm5',
      }),
    ])
    expect(viaMd5.severity).toBe('critical')
  })

  it('prefers the direct match when the weak hash was computed too (one evidence per record)', async () => {
    const found = await fileHashDetector.detect!(
      artifact('x.dll', { sha256, sha1, md5 }),
      ctx(sample),
    )
    const md5Finding = found.find((f) => f.ruleId === 'ioc/file-md5')!
    expect(md5Finding.title).toBe('File MD5 matches intel: 3CX SmoothOperator')
    expect(md5Finding.evidence).toHaveLength(1)
    expect(md5Finding.evidence[0]).not.toHaveProperty('matchedBy')
    expect(md5Finding.evidence[0]!.matched).toBe(md5)
  })

  it('still finds an MD5-only Windows indicator on a PE, and computes no MD5 for an ELF', async () => {
    const only = [indicator({ type: 'md5', value: md5, id: 'md5-only', platform: 'windows' })]
    const pe = collected(only, 'pe')
    expect(pe.md5).toBe(md5)
    const found = await fileHashDetector.detect!(
      { ...artifact('x.exe', pe), type: 'pe' },
      ctx(only),
    )
    expect(found.map((f) => [f.ruleId, f.evidence[0]!.recordId])).toEqual([
      ['ioc/file-md5', 'md5-only'],
    ])
    expect(collected(only, 'elf')).toEqual({ sha256 })
  })
})

describe('ioc/file-name', () => {
  it('caps a name-only match at medium severity and low confidence', async () => {
    const records = [indicator({ type: 'filename', value: 'ffmpeg.dll' })]
    const [f] = await fileNameDetector.detect!(artifact('app/FFmpeg.dll', { sha256 }), ctx(records))
    expect(f).toMatchObject({ ruleId: 'ioc/file-name', severity: 'medium', confidence: 'low' })
    expect(f!.message).toMatch(/Intel rates it critical; a name alone is weak evidence/)
    expect(f!.evidence[0]).toMatchObject({ recordId: records[0]!.id, recordSeverity: 'critical' })
  })

  it('keeps a low record low and matches path indicators at medium confidence at most', async () => {
    const records = [
      indicator({ type: 'filename', value: 'x.dll', severity: 'low', id: 'n' }),
      indicator({ type: 'path', value: 'appdata/local/x.dll', id: 'p' }),
    ]
    const found = await fileNameDetector.detect!(
      artifact('Users/a/AppData/Local/x.dll', { sha256 }),
      ctx(records),
    )
    expect(found.map((f) => [f.ruleId, f.severity, f.confidence])).toEqual([
      ['ioc/file-name', 'low', 'low'],
      ['ioc/file-path', 'medium', 'medium'],
    ])
  })

  it('stays silent on other names', async () => {
    const records = [indicator({ type: 'filename', value: 'ffmpeg.dll' })]
    expect(
      await fileNameDetector.detect!(artifact('app/ffmpeg.dll.txt', { sha256 }), ctx(records)),
    ).toEqual([])
  })
})
