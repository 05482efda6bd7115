import { describe, expect, it } from 'vitest'
import type { Report } from '../core/types.js'
import { jsonReport } from './json.js'
import { sampleReport } from './testdata/sample.js'
import { validateReport } from './validate.js'

// biome-ignore lint/suspicious/noExplicitAny: tests break the document on purpose
type Doc = Record<string, any>

function shuffled<T>(list: readonly T[]): T[] {
  return [...list].reverse()
}

describe('jsonReport', () => {
  it('writes the contract keys in contract order', () => {
    const doc = JSON.parse(jsonReport(sampleReport())) as Record<string, unknown>
    expect(Object.keys(doc)).toEqual([
      'schemaVersion',
      'tool',
      'createdAt',
      'targets',
      'components',
      'findings',
      'verdicts',
      'binaries',
      'problems',
      'stats',
    ])
    const f = (doc.findings as Record<string, unknown>[])[0]!
    expect(Object.keys(f).slice(0, 8)).toEqual([
      'id',
      'ruleId',
      'detector',
      'layer',
      'severity',
      'confidence',
      'title',
      'message',
    ])
    expect(Object.keys(doc.stats as object)).toEqual([
      'files',
      'bytes',
      'durationMs',
      'archives',
      'suppressed',
    ])
  })

  it('sorts findings worst first, then by path (code-unit order), rule and id', () => {
    const doc = JSON.parse(jsonReport(sampleReport())) as Report
    expect(doc.findings.map((f) => [f.severity, f.locations[0]?.path ?? ''])).toEqual([
      ['critical', 'Programs/3CXDesktopApp/3CXDesktopApp.exe'],
      ['high', 'Programs/3CXDesktopApp/3CXDesktopApp.exe'],
      ['high', 'Programs/3CXDesktopApp/ffmpeg.dll'],
      ['high', 'downloads/3CXDesktopApp-18.12.416.msi!/ffmpeg.dll'],
      ['medium', 'Programs/3CXDesktopApp/d3dcompiler_47.dll'],
      [
        'low',
        'very/long/directory/name/that/goes/on/and/on/and/on/for/quite/a/while/until/it/ends/setup-helper.exe',
      ],
      ['info', 'Windows/System32/d3dcompiler_47.dll'],
    ])
    expect(doc.problems.map((p) => p.path)).toEqual(['dev/fifo', 'downloads/broken.zip'])
  })

  it('gives the same bytes whatever the input order and key order', () => {
    const r = sampleReport()
    const scrambled: Report = {
      ...r,
      findings: shuffled(r.findings).map((f) => ({
        ...f,
        evidence: f.evidence.map(
          (e) => Object.fromEntries(shuffled(Object.entries(e))) as typeof e,
        ),
      })),
      components: shuffled(r.components),
      problems: shuffled(r.problems),
      verdicts: shuffled(r.verdicts ?? []),
    }
    expect(jsonReport(scrambled)).toBe(jsonReport(r))
  })

  it('keeps the evidence kind first and drops undefined values', () => {
    const r = sampleReport()
    r.findings[0]!.evidence = [{ z: 1, kind: 'k', a: undefined, m: { y: 2, b: 1 } }]
    const doc = JSON.parse(jsonReport(r)) as Report
    const e = doc.findings.find((f) => f.id === r.findings[0]!.id)!.evidence[0]!
    expect(JSON.stringify(e)).toBe('{"kind":"k","m":{"b":1,"y":2},"z":1}')
  })
})

describe('report schema', () => {
  it('accepts the JSON reporter output of a realistic report', () => {
    const result = validateReport(JSON.parse(jsonReport(sampleReport())))
    expect(result).toMatchObject({ ok: true })
  })

  it('accepts a minimal clean report', () => {
    const clean: Report = {
      schemaVersion: 1,
      tool: { name: 'vigil', version: '0.1.0', intel: [] },
      targets: [{ path: '.', kind: 'dir' }],
      components: [],
      findings: [],
      problems: [],
      stats: { files: 0, bytes: 0, durationMs: 0 },
    }
    expect(validateReport(JSON.parse(jsonReport(clean))).ok).toBe(true)
  })

  it('rejects what breaks the contract, naming the place', () => {
    const bad = (edit: (d: Doc) => void): string[] => {
      const d = JSON.parse(jsonReport(sampleReport())) as Doc
      edit(d)
      const r = validateReport(d)
      return r.ok ? [] : r.errors
    }
    expect(bad((d) => (d.schemaVersion = 2))).toContain('/schemaVersion: must be equal to constant')
    expect(bad((d) => (d.findings[0].severity = 'severe')).join()).toContain('/findings/0/severity')
    expect(bad((d) => (d.findings[0].layer = 'magic')).join()).toContain('/findings/0/layer')
    expect(bad((d) => delete d.stats.files).join()).toContain("must have required property 'files'")
    expect(bad((d) => (d.findings[0].extra = 1)).join()).toContain('additional properties')
    expect(bad((d) => (d.components[0].purl = 'npm:x')).join()).toContain('/components/0/purl')
    expect(bad((d) => (d.findings[0].locations[0].offset = -1)).join()).toContain('offset')
    expect(bad((d) => (d.createdAt = 'yesterday')).join()).toContain('/createdAt')
  })

  it('allows the extra keys the types allow (evidence, binary summaries)', () => {
    const r = sampleReport()
    r.binaries![0]!.pdbPath = 'C:\\build\\ffmpeg.pdb'
    r.findings[0]!.evidence.push({ kind: 'note', anything: { nested: [1, 2] } })
    expect(validateReport(JSON.parse(jsonReport(r))).ok).toBe(true)
  })
})
