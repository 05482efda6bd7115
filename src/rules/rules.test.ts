import { createHash } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildLookalikes,
  type Lookalike,
  THREECX_SET,
} from '../../scripts/fixtures/rules/build-lookalikes.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import { buildIntel } from '../intel/build-index.js'
import { loadIntel } from '../intel/load.js'
import { scan } from '../scan/scan.js'
import { yaraDetector } from './detector.js'
import { ruleSeverity } from './findings.js'
import { RoutedRules } from './routed-rules.js'
import { bundledRuleSources, combineRuleSources } from './sources.js'

let dir: string
const twice = <T>(x: T): [T, T] => [x, x]
let made: Lookalike[]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-rules-'))
  made = await buildLookalikes(dir)
})

describe('bundled YARA rules', () => {
  it('each rule matches its look-alike and nothing matches the clean twins', async () => {
    const rules = combineRuleSources(await bundledRuleSources())
    expect(rules.problems).toEqual([])
    const routed = new RoutedRules(rules.text)
    expect(routed.shape).toMatchObject({ rules: 14, guarded: 14 })
    const ruleNames = [...rules.byRule.keys()]
    expect(new Set(made.flatMap((m) => (m.rule ? [m.rule] : [])))).toEqual(new Set(ruleNames))
    for (const m of made) {
      const path = join(dir, m.file)
      const bytes = await readFile(path)
      const byPath = routed.scanFile(path, bytes.length).map((r) => r.ruleIdentifier)
      const byBytes = routed.scan(bytes).map((r) => r.ruleIdentifier)
      expect([m.file, byPath, byBytes]).toEqual([m.file, ...twice(m.rule ? [m.rule] : [])])
    }
  })

  it('caps a match at high unless the meta says critical with high confidence', () => {
    expect(ruleSeverity({})).toEqual({ severity: 'medium', confidence: 'medium' })
    expect(ruleSeverity({ severity: 'critical', confidence: 'medium' })).toEqual({
      severity: 'high',
      confidence: 'medium',
    })
    expect(ruleSeverity({ severity: 'critical', confidence: 'high' })).toEqual({
      severity: 'critical',
      confidence: 'high',
    })
    expect(ruleSeverity({ severity: 'bogus' }).severity).toBe('medium')
  })
})

describe('rule engine limits and errors', () => {
  it('reports a file whose scan ran past the time limit, and still its matches', async () => {
    const slow = join(dir, 'slow.yar')
    await writeFile(
      slow,
      'rule slow { condition: for any i in (0..filesize - 1) : (for any j in (0..filesize - 1) : (uint8(j) + uint8(i) == 255)) }\nrule quick { strings: $a = "quick" condition: $a }',
    )
    const target = join(dir, 'slow-target')
    await writeFile(target, Buffer.concat([Buffer.from('quick'), Buffer.alloc(3_000, 7)]))
    const { intel } = await loadIntel({ storeDir: false, extra: [slow], maxAgeDays: 0 })
    const report = await scan({
      paths: [target],
      intel,
      detectors: [yaraDetector()],
      catalogers: [],
      limits: { ruleTimeoutMs: 1 },
    })
    expect(report.findings.map((f) => f.evidence[0]?.rule)).toEqual(['quick'])
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        stage: 'rules',
        level: 'warning',
        message: expect.stringMatching(/^YARA scan took \d+ ms, over the 1 ms limit/),
      }),
    )
  })

  it('reports a broken rule file once per scan, from finish, with its file and line', async () => {
    // the importer refuses such a file; a record that fails later (e.g. under another engine
    // version) is left out by combineRuleSources and reported by finish, on the main thread
    const broken = join(dir, 'broken.yar')
    const d = yaraDetector()
    const seen: string[] = []
    const ctx = {
      intel: buildIntel(
        [
          {
            kind: 'yara',
            id: 't:b1',
            source: 't',
            confidence: 'medium',
            references: [],
            text: 'rule b1 {\n  condition:\n    $missing\n}\n',
            file: broken,
          },
        ],
        [],
      ),
      limits: DEFAULT_LIMITS,
      signal: new AbortController().signal,
      problem: (p: { path: string; message: string }) => seen.push(`${p.path}: ${p.message}`),
      components: [],
      binaries: [],
      files: () => [],
    }
    await d.finish!(ctx)
    expect(seen).toEqual([
      expect.stringMatching(/broken\.yar: rule file not used: line 3, column 5: /),
    ])
  })

  it('leaves out a broken or clashing rule file with a problem naming file and line', () => {
    const good = { namespace: 'a', text: 'rule ok { condition: true }', origin: 'a.yar' }
    const broken = {
      namespace: 'b',
      text: 'rule b1 {\n  condition:\n    $missing\n}',
      origin: 'b.yar',
    }
    const clash = { namespace: 'c', text: 'rule ok { condition: false }', origin: 'c.yar' }
    const r = combineRuleSources([good, broken, clash])
    expect(r.text).toBe(good.text)
    expect(r.problems.map((p) => [p.path, p.message])).toEqual([
      ['b.yar', expect.stringMatching(/^rule file not used: line 3, column 5: .*unknown pattern/)],
      ['c.yar', "rule file not used: rule 'ok' is already defined by a.yar"],
    ])
  })
})

describe('a scan of the look-alike 3CX application folder', () => {
  it('names the campaign and actor from the rules and from --intel hashes', async () => {
    const target = join(dir, THREECX_SET)
    const ffmpeg = await readFile(join(target, 'ffmpeg.dll'))
    const sha = createHash('sha256').update(ffmpeg).digest('hex')
    const stix = join(dir, 'lookalike-intel.json')
    await writeFile(
      stix,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000001',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--00000000-0000-4000-8000-000000000002',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00Z',
            pattern: `[file:hashes.'SHA-256' = '${sha}']`,
            pattern_type: 'stix',
            valid_from: '2026-01-01T00:00:00Z',
            confidence: 90,
          },
          {
            type: 'campaign',
            spec_version: '2.1',
            id: 'campaign--00000000-0000-4000-8000-000000000003',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00Z',
            name: '3CX SmoothOperator',
          },
          {
            type: 'intrusion-set',
            spec_version: '2.1',
            id: 'intrusion-set--00000000-0000-4000-8000-000000000004',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00Z',
            name: 'Labyrinth Chollima',
            aliases: ['UNC4736'],
          },
          {
            type: 'relationship',
            spec_version: '2.1',
            id: 'relationship--00000000-0000-4000-8000-000000000005',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00Z',
            relationship_type: 'indicates',
            source_ref: 'indicator--00000000-0000-4000-8000-000000000002',
            target_ref: 'campaign--00000000-0000-4000-8000-000000000003',
          },
          {
            type: 'relationship',
            spec_version: '2.1',
            id: 'relationship--00000000-0000-4000-8000-000000000006',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00Z',
            relationship_type: 'attributed-to',
            source_ref: 'campaign--00000000-0000-4000-8000-000000000003',
            target_ref: 'intrusion-set--00000000-0000-4000-8000-000000000004',
          },
        ],
      }),
    )
    const { intel } = await loadIntel({ storeDir: false, extra: [stix], maxAgeDays: 0 })
    const report = await scan({ paths: [target], intel })
    const byRule = new Map(report.findings.map((f) => [f.ruleId, f]))
    const want = { campaign: '3CX SmoothOperator', actor: 'Labyrinth Chollima / UNC4736' }
    const marker = byRule.get('rule/vigil/Vigil_3CX_D3DCompiler_Doubled_Marker')
    expect(marker).toMatchObject({
      severity: 'critical',
      layer: 'rule',
      context: want,
      locations: [{ path: 'd3dcompiler_47.dll' }],
    })
    expect(marker!.message).toMatch(
      /campaign: 3CX SmoothOperator; actor: Labyrinth Chollima \/ UNC4736/,
    )
    expect(marker!.evidence[0]).toMatchObject({
      kind: 'yara-match',
      rule: 'Vigil_3CX_D3DCompiler_Doubled_Marker',
      namespace: 'vigil',
      tags: ['windows', 'loader'],
    })
    expect(byRule.get('rule/vigil/Vigil_3CX_FFmpeg_Marker_Search')).toMatchObject({
      severity: 'high',
      context: want,
    })
    expect(byRule.get('ioc/file-sha256')).toMatchObject({
      context: want,
      locations: [{ path: 'ffmpeg.dll' }],
    })
    expect(
      report.findings.some(
        (f) => f.locations[0]?.path === '3CXDesktopApp.exe' && f.layer === 'rule',
      ),
    ).toBe(false)
  })

  it('a clean folder comes out clean at the rule layer', async () => {
    const report = await scan({ paths: [join(dir, 'twins')], intel: buildIntel([], []) })
    expect(report.findings.filter((f) => f.layer === 'rule')).toEqual([])
  })
})
