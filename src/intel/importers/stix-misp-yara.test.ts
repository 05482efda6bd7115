import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type {
  ContextRecord,
  FileIndicator,
  IntelRecord,
  NetworkIndicator,
  YaraRuleRecord,
} from '../records.js'
import { readIntelPath } from './read.js'
import { parseStixPattern } from './stix-pattern.js'

const data = (name: string) => join(import.meta.dirname, '..', 'testdata', name)
const indicators = (r: IntelRecord[]) =>
  r.filter((x): x is FileIndicator | NetworkIndicator => x.kind === 'file' || x.kind === 'network')

describe('STIX 2.1 importer', () => {
  it('maps patterns (OR, AND, CIDR, qualifiers) and follows relationships to campaign, actor, malware', async () => {
    const { format, records } = await readIntelPath(data('stix-3cx.json'))
    expect(format).toBe('stix')
    const ind = indicators(records)
    expect(ind.map((r) => [r.type, r.value, r.confidence, r.severity])).toEqual([
      [
        'sha256',
        '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896',
        'high',
        'high',
      ],
      ['md5', '74bc2d0b6680faa1a5a76b27e5479cbc', 'high', 'high'],
      // AND with a file name: the hash alone is kept, the name is not an indicator on its own
      [
        'sha256',
        'c485674ee63ec8d4e8fde9800788175a8b02d3f9416d0e763360fff7f8eb4e02',
        'high',
        'high',
      ],
      ['domain', 'akamaicontainer.com', 'high', 'high'],
      ['domain', 'msstorageboxes.com', 'high', 'high'],
      [
        'url',
        'https://raw.githubusercontent.com/IconStorages/images/main/icon1.ico',
        'high',
        'high',
      ],
      ['cidr', '198.51.100.0/24', 'low', 'low'],
      ['cidr', '2001:db8:3c::/48', 'low', 'low'],
    ])
    const ffmpeg = ind[0]!
    expect(ffmpeg).toMatchObject({
      id: 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade',
      campaign: '3CX SmoothOperator',
      actor: 'Labyrinth Chollima / UNC4736',
      malware: 'SUDDENICON',
      firstSeen: '2023-03-29T00:00:00Z',
      description: 'ffmpeg.dll side-loaded by 3CXDesktopApp.exe',
    })
    expect(ffmpeg.references).toContain('https://www.3cx.com/blog/news/mandiant-initial-results/')
    expect(ind[3]).toMatchObject({
      campaign: '3CX SmoothOperator',
      actor: 'Labyrinth Chollima / UNC4736',
    })
    expect(ind[6]!.lastSeen).toBe('2024-03-29T00:00:00Z')
    expect(ind.some((r) => r.value === 'revoked.example')).toBe(false)
    const yara = records.filter((r): r is YaraRuleRecord => r.kind === 'yara')
    expect(yara.map((y) => y.text)).toEqual([
      'rule stix_marker { strings: $m = { FE ED FA CE FE ED FA CE } condition: $m }',
    ])
    const ctx = records.filter((r): r is ContextRecord => r.kind === 'context')
    expect(ctx.map((c) => [c.type, c.name])).toEqual([
      ['intrusion-set', 'Labyrinth Chollima'],
      ['campaign', '3CX SmoothOperator'],
      ['malware', 'SUDDENICON'],
    ])
  })

  it('names the JSON path of a broken pattern', async () => {
    await expect(readIntelPath(data('stix-bad-pattern.json'))).rejects.toThrow(
      /stix-bad-pattern\.json: \$\.objects\[4\]\.pattern: unterminated '\['/,
    )
  })

  it('parses escaped quotes and observation operators', () => {
    expect(parseStixPattern("[url:value = 'http://a/b\\'c'] FOLLOWEDBY [file:name = 'x']")).toEqual(
      [
        { terms: [{ path: 'url:value', value: "http://a/b'c" }], conjunctive: false },
        { terms: [{ path: 'file:name', value: 'x' }], conjunctive: false },
      ],
    )
    expect(() => parseStixPattern("[file:name = 'x'")).toThrow(/unterminated/)
    expect(() => parseStixPattern('file:name = 1 ]')).toThrow(/unbalanced/)
  })
})

describe('MISP importer', () => {
  it('maps attributes, composite types, objects, tags and galaxies', async () => {
    const { format, records } = await readIntelPath(data('misp-3cx.json'))
    expect(format).toBe('misp')
    const ind = indicators(records)
    expect(ind.map((r) => [r.type, r.value, r.confidence, r.severity])).toEqual([
      [
        'sha256',
        '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896',
        'high',
        'high',
      ],
      ['domain', 'akamaicontainer.com', 'high', 'high'],
      ['domain', 'www.journalide.org', 'high', 'high'],
      [
        'url',
        'https://raw.githubusercontent.com/IconStorages/images/main/icon3.ico',
        'high',
        'high',
      ],
      ['ip', '192.0.2.10', 'low', 'low'],
      ['ip', '198.51.100.23', 'high', 'high'],
      [
        'sha256',
        '11be1803e2e307b647a8a7e02d128335c448ff741bf06bf52b332e0bbf423b03',
        'high',
        'high',
      ],
      ['md5', '82187ad3f0c6c225e2fba0c867280cc9', 'high', 'high'],
    ])
    expect(ind[0]).toMatchObject({
      id: '6425a3c8-0001-4d6b-8f7b-1c2d0a0a0a01',
      actor: 'Lazarus Group / Labyrinth Chollima / Hidden Cobra',
      malware: 'SUDDENICON',
      description: 'backdoored ffmpeg.dll — 3CX DesktopApp supply-chain compromise',
      references: [
        'https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/',
      ],
    })
    expect(ind[0]!.tags).toContain('tlp:clear')
    expect((ind[5] as NetworkIndicator).port).toBe(443)
    expect(ind[6]!.description).toMatch(/^file name d3dcompiler_47\.dll/)
    expect(records.filter((r) => r.kind === 'yara')).toHaveLength(1)
  })

  it('names the JSON path of a bad composite value inside a search response', async () => {
    await expect(readIntelPath(data('misp-bad.json'))).rejects.toThrow(
      /misp-bad\.json: \$\.response\[0\]\.Event\.Object\[0\]\.Attribute\[0\]\.value: sha256 must be 64 hex digits/,
    )
  })
})

describe('YARA importer', () => {
  it('keeps a compiling rule file as one record listing its rules', async () => {
    const { format, records } = await readIntelPath(data('rules-good.yar'))
    expect(format).toBe('yara')
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      kind: 'yara',
      id: 'rules-good.yar:sample_tutma_cookie+1',
      description: 'YARA rules: sample_tutma_cookie, sample_pe_small',
    })
  })

  it('names file, line and column of a compile error', async () => {
    await expect(readIntelPath(data('rules-broken.yar'))).rejects.toThrow(
      /rules-broken\.yar: line 5, column 12: YARA: unknown pattern `\$b`/,
    )
  })
})
