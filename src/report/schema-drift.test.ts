import { describe, expect, it } from 'vitest'
import type {
  BinarySummary,
  Component,
  FileEntry,
  Finding,
  IntelSourceInfo,
  Location,
  Problem,
  ReleaseDiff,
  Remediation,
  Report,
  ScanStats,
  Target,
  Verdict,
} from '../core/types.js'
import { jsonReport } from './json.js'
import { validateReport } from './validate.js'

/**
 * Every field of every report type, filled in. `Required<…>` makes this file stop compiling when
 * src/core/types.ts gains a field, and the schema (closed objects) then rejects the field until
 * schema/report.schema.json names it: the types and the schema cannot drift apart silently.
 */

const location: Required<Location> = { path: 'a.zip!/b.dll', offset: 1, length: 2, line: 3 }
const remediation: Required<Remediation> = { summary: 'update', fixedVersion: '2.0' }
const context: Required<NonNullable<Finding['context']>> = {
  campaign: 'c',
  actor: 'a',
  malware: 'm',
}
const finding: Required<Finding> = {
  id: '0123456789abcdef01234567',
  ruleId: 'ioc/file-sha256',
  detector: 'ioc/file-hash',
  layer: 'ioc',
  severity: 'high',
  confidence: 'high',
  title: 't',
  message: 'm',
  locations: [location],
  component: 'pkg:npm/x@1',
  evidence: [{ kind: 'hash-match', value: 'v' }],
  remediation,
  references: ['https://example.org'],
  context,
}
const component: Required<Component> = {
  name: 'x',
  version: '1',
  ecosystem: 'npm',
  purl: 'pkg:npm/x@1',
  locations: ['package-lock.json'],
  foundBy: 'npm-package-lock',
  vendor: 'v',
  product: 'p',
  metadata: { k: 'v' },
}
const verdict: Required<Verdict> = {
  subject: 'pkg:npm/x@1',
  subjectKind: 'component',
  severity: 'high',
  layers: ['ioc'],
  findingIds: [finding.id],
  reasons: ['high ioc: t'],
}
const range = { offset: 1, size: 2, entropy: 7.5 }
const binary: Required<BinarySummary> = {
  path: 'b.dll',
  format: 'pe',
  arch: 'x86_64',
  signer: 's',
  signature: 'valid',
  signerThumbprint: 'ab',
  version: { FileVersion: '1.0' },
  imports: { 'kernel32.dll': ['loadlibrarya'] },
  exports: ['f'],
  sections: [{ name: '.text', size: 1, entropy: 6 }],
  overlay: range,
  certPadding: range,
}
const file: Required<FileEntry> = {
  path: 'b.dll',
  size: 1,
  type: 'pe',
  sha256: 'ab'.repeat(32),
  strings: { urls: ['https://x'], domains: ['x'], ips: ['1.2.3.4'] },
}
const problem: Required<Problem> = { stage: 'collect', path: 'c', message: 'm', level: 'warning' }
const stats: Required<ScanStats> = {
  files: 1,
  bytes: 2,
  durationMs: 3,
  archives: 4,
  cached: 5,
  suppressed: 6,
}
const intel: Required<IntelSourceInfo> = {
  source: 's',
  version: '1',
  date: '2026-11-01',
  records: 1,
}
const target: Required<Target> = { path: '.', kind: 'report' }
const host: Required<NonNullable<Report['host']>> = { name: 'h', addresses: ['10.0.0.1'] }
const diff: Required<ReleaseDiff> = {
  old: 'v1',
  new: 'v2',
  files: {
    added: ['new.dll'],
    removed: ['old.dll'],
    changed: ['ffmpeg.dll'],
    moved: [{ from: 'a/x.dll', to: 'b/x.dll' }],
    unchanged: 10,
  },
  components: {
    changed: [{ name: 'x', ecosystem: 'npm', from: '1', to: '2', purl: 'pkg:npm/x@2' }],
    added: ['pkg:npm/y@1'],
    removed: ['pkg:npm/z@1'],
    unchanged: 3,
  },
}
const report: Required<Report> = {
  schemaVersion: 1,
  tool: { name: 'vigil', version: '0.1.0', intel: [intel] },
  createdAt: '2026-11-26T23:00:00.000Z',
  host,
  targets: [target],
  components: [component],
  findings: [finding],
  verdicts: [verdict],
  binaries: [binary],
  files: [file],
  diff,
  problems: [problem],
  stats,
}

describe('report schema and types', () => {
  it('accept the same fields: a report with every field set validates', () => {
    expect(validateReport(JSON.parse(jsonReport(report)))).toMatchObject({ ok: true })
  })

  it('and the schema knows no field the types lack (closed objects reject extras)', () => {
    const extra = (edit: (r: Record<string, unknown>) => void) => {
      const doc = JSON.parse(jsonReport(report)) as Record<string, unknown>
      edit(doc)
      return validateReport(doc).ok
    }
    expect(extra((d) => (d.unknown = 1))).toBe(false)
    expect(extra((d) => ((d.stats as Record<string, unknown>).x = 1))).toBe(false)
    expect(extra((d) => ((d.verdicts as Record<string, unknown>[])[0]!.x = 1))).toBe(false)
    expect(extra((d) => ((d.files as Record<string, unknown>[])[0]!.x = 1))).toBe(false)
    expect(extra((d) => ((d.components as Record<string, unknown>[])[0]!.x = 1))).toBe(false)
    expect(extra((d) => ((d.diff as Record<string, unknown>).x = 1))).toBe(false)
  })
})
