import { describe, expect, it } from 'vitest'
import { UsageError } from '../core/errors.js'
import { makeFinding } from '../core/finding-id.js'
import type { Evidence, Finding } from '../core/types.js'
import { applySuppressions, expiryTime, parseSuppressions } from './suppressions.js'

const SHA = 'ab'.repeat(32)
const NOW = new Date('2026-11-26T12:00:00Z')

function finding(
  ruleId: string,
  path: string,
  extra: { component?: string; evidence?: Evidence[] } = {},
): Finding {
  return makeFinding({
    ruleId,
    detector: 'test',
    layer: 'structure',
    severity: 'medium',
    confidence: 'medium',
    title: 't',
    message: 'm',
    locations: [{ path }],
    ...(extra.component ? { component: extra.component } : {}),
    evidence: extra.evidence ?? [{ kind: 'x' }],
  })
}

describe('parseSuppressions', () => {
  it('reads YAML and JSON, as a list or under `suppressions`', () => {
    const yaml = `
suppressions:
  - ruleId: structure/overlay
    path: "vendor/**"
    reason: installer payload, reviewed
    expires: 2027-01-31
  - ruleId: advisory/GHSA-xxxx
    component: pkg:npm/left-pad
    reason: not reachable
`
    const a = parseSuppressions(yaml, 'sup.yaml')
    expect(a.map((e) => [e.ruleId, e.path, e.component, e.expires, e.source.index])).toEqual([
      ['structure/overlay', 'vendor/**', undefined, '2027-01-31', 1],
      ['advisory/GHSA-xxxx', undefined, 'pkg:npm/left-pad', undefined, 2],
    ])
    const json = JSON.stringify([
      { ruleId: 'ioc/file-sha256', sha256: SHA.toUpperCase(), reason: 'ours' },
    ])
    expect(parseSuppressions(json, 'sup.json')[0]!.sha256).toBe(SHA)
    expect(parseSuppressions('', 'empty.yaml')).toEqual([])
  })

  it('refuses entries without a reason, a target or a valid date, naming the entry', () => {
    const bad: [string, string][] = [
      ['- ruleId: a\n  path: x\n', "entry 1: key 'reason'"],
      ['- ruleId: a\n  path: x\n  reason: "  "\n', 'a reason is required'],
      ['- ruleId: a\n  reason: r\n', 'needs at least one of path, component or sha256'],
      ['- ruleId: a\n  path: x\n  reason: r\n  expires: next week\n', "key 'expires'"],
      ['- ruleId: a\n  path: x\n  reason: r\n  expires: 2027-02-30\n', "key 'expires'"],
      ['- ruleId: a\n  sha256: abc\n  reason: r\n', 'must be 64 hex digits'],
      ['- ruleId: a\n  path: x\n  reason: r\n  why: typo\n', "entry 1: unknown key 'why'"],
      ['- ruleId: a\n  path: x\n  reason: r\n- path: y\n  reason: r\n', "entry 2: key 'ruleId'"],
      ['- ruleId: a\n  component: npm/x\n  reason: r\n', "key 'component'"],
      ['ruleId: a\n', 'expected a list of entries'],
      ['- [unclosed\n', 'cannot parse'],
    ]
    for (const [text, want] of bad) {
      const err = (() => {
        try {
          parseSuppressions(text, 'sup.yaml')
        } catch (e) {
          return e
        }
      })()
      expect(err, text).toBeInstanceOf(UsageError)
      expect((err as Error).message, text).toContain('suppressions file sup.yaml: ')
      expect((err as Error).message, text).toContain(want)
    }
  })
})

describe('expiryTime', () => {
  it('keeps a date-only entry valid through that UTC day', () => {
    expect(expiryTime('2026-11-26')).toBe(Date.parse('2026-11-26T23:59:59.999Z'))
    expect(expiryTime('2026-11-26T10:00:00Z')).toBe(Date.parse('2026-11-26T10:00:00Z'))
  })
})

describe('applySuppressions', () => {
  const entries = (yaml: string) => parseSuppressions(yaml, 'sup.yaml')

  it('drops matching findings, counts them, keeps the rest', () => {
    const fs = [
      finding('structure/overlay', 'vendor/a/setup.exe'),
      finding('structure/overlay', 'vendor/b.zip!/inner.exe'),
      finding('structure/overlay', 'app/main.exe'),
      finding('structure/cert-padding', 'vendor/a/setup.exe'),
    ]
    const r = applySuppressions(
      fs,
      entries('- ruleId: structure/overlay\n  path: "vendor/**"\n  reason: reviewed\n'),
      NOW,
    )
    expect(r.suppressed).toBe(2)
    expect(r.kept.map((f) => [f.ruleId, f.locations[0]!.path])).toEqual([
      ['structure/overlay', 'app/main.exe'],
      ['structure/cert-padding', 'vendor/a/setup.exe'],
    ])
    expect(r.problems).toEqual([])
  })

  it('matches components with or without version, and hashes from files or evidence', () => {
    const fs = [
      finding('advisory/X', 'package-lock.json', { component: 'pkg:npm/%40scope/left-pad@1.3.0' }),
      finding('advisory/X', 'package-lock.json', { component: 'pkg:npm/left-pad@1.3.0' }),
      finding('advisory/Y', 'package-lock.json', { component: 'pkg:npm/left-pad@2.0.0?arch=x' }),
      finding('ioc/file-sha256', 'bin/tool', {
        evidence: [{ kind: 'hash-match', algorithm: 'sha256', value: SHA }],
      }),
      finding('ioc/file-name', 'bin/other'),
    ]
    const list = entries(`
- ruleId: advisory/X
  component: pkg:npm/left-pad
  reason: any version
- ruleId: advisory/Y
  component: pkg:npm/left-pad@2.0.0
  reason: this version
- ruleId: ioc/file-sha256
  sha256: ${SHA}
  reason: our own build
- ruleId: ioc/file-name
  sha256: ${'cd'.repeat(32)}
  reason: by file hash
`)
    const r = applySuppressions(fs, list, NOW, {
      fileHashes: new Map([['bin/other', 'CD'.repeat(32)]]),
    })
    expect(r.kept.map((f) => f.component)).toEqual(['pkg:npm/%40scope/left-pad@1.3.0'])
    expect(r.suppressed).toBe(4)
    expect(r.problems).toEqual([])
  })

  it('suppresses by path only when every location of the finding matches', () => {
    const { id: _, ...base } = finding('structure/dup', 'vendor/a.dll')
    const two = makeFinding({
      ...base,
      locations: [{ path: 'vendor/a.dll' }, { path: 'app/a.dll' }],
    })
    const list = entries('- ruleId: structure/dup\n  path: "vendor/**"\n  reason: r\n')
    expect(applySuppressions([two], list, NOW).kept).toHaveLength(1)
    const both = entries('- ruleId: structure/dup\n  path: "{vendor,app}/**"\n  reason: r\n')
    expect(applySuppressions([two], both, NOW).kept).toHaveLength(0)
  })

  it('requires every criterion an entry sets', () => {
    const fs = [finding('advisory/X', 'a/package-lock.json', { component: 'pkg:npm/x@1' })]
    const list = entries(
      '- ruleId: advisory/X\n  component: pkg:npm/x\n  path: "b/**"\n  reason: r\n',
    )
    expect(applySuppressions(fs, list, NOW).kept).toHaveLength(1)
  })

  it('reports expired entries (which suppress nothing) and unused ones as warnings', () => {
    const fs = [finding('structure/overlay', 'vendor/a.exe')]
    const list = entries(`
- ruleId: structure/overlay
  path: "vendor/**"
  reason: old review
  expires: 2026-11-25
- ruleId: structure/overlay
  path: "nothing/**"
  reason: stale
- ruleId: structure/overlay
  path: "vendor/**"
  reason: still valid today
  expires: 2026-11-26
`)
    const r = applySuppressions(fs, list, NOW)
    expect(r.suppressed).toBe(1)
    expect(r.problems).toEqual([
      {
        stage: 'suppressions',
        path: 'sup.yaml',
        level: 'warning',
        message:
          "entry 1 (ruleId structure/overlay, path 'vendor/**') expired on 2026-11-25; its findings are reported again",
      },
      {
        stage: 'suppressions',
        path: 'sup.yaml',
        level: 'warning',
        message:
          "entry 2 (ruleId structure/overlay, path 'nothing/**') matched no finding; remove it or correct it",
      },
    ])
    const later = applySuppressions(fs, list, new Date('2026-11-27T00:00:01Z'))
    expect(later.suppressed).toBe(0)
    expect(later.problems.filter((p) => p.message.includes('expired'))).toHaveLength(2)
  })
})
