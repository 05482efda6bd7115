import { describe, expect, it } from 'vitest'
import { makeFinding } from '../core/finding-id.js'
import type { Component, Confidence, Finding, Layer, Severity } from '../core/types.js'
import {
  CORRELATION_RULE,
  correlate,
  correlationFindings,
  reasonLine,
  withCorrelation,
} from './correlate.js'

function finding(
  layer: Layer,
  severity: Severity,
  path: string,
  extra: { component?: string; confidence?: Confidence; ruleId?: string; detector?: string } = {},
): Finding {
  return makeFinding({
    ruleId: extra.ruleId ?? `${layer}/test-${severity}`,
    detector: extra.detector ?? `${layer}/test`,
    layer,
    severity,
    confidence: extra.confidence ?? 'high',
    title: `${layer} says ${severity}`,
    message: `${layer} found something at ${path}`,
    locations: path ? [{ path }] : [],
    ...(extra.component ? { component: extra.component } : {}),
    evidence: [{ kind: 'test' }],
  })
}

describe('correlate', () => {
  it('gives one verdict per file with the highest severity when one layer speaks', () => {
    const fs = [finding('ioc', 'high', 'a.dll'), finding('ioc', 'medium', 'a.dll', { ruleId: 'x' })]
    const [v, ...rest] = correlate(fs)
    expect(rest).toEqual([])
    expect(v).toMatchObject({ subject: 'a.dll', subjectKind: 'file', severity: 'high' })
    expect(v!.layers).toEqual(['ioc'])
    expect(v!.findingIds).toHaveLength(2)
  })

  it('raises one step when two independent layers agree, capped at critical', () => {
    const two = correlate([
      finding('ioc', 'high', 'a.dll'),
      finding('structure', 'medium', 'a.dll'),
    ])
    expect(two[0]!.severity).toBe('critical')
    expect(two[0]!.layers).toEqual(['ioc', 'structure'])
    const capped = correlate([
      finding('ioc', 'critical', 'b.dll'),
      finding('rule', 'critical', 'b.dll'),
      finding('structure', 'high', 'b.dll'),
    ])
    expect(capped[0]!.severity).toBe('critical')
  })

  it('does not raise for two detectors of the same layer', () => {
    const v = correlate([
      finding('ioc', 'medium', 'a.dll', { detector: 'ioc/file-hash' }),
      finding('ioc', 'medium', 'a.dll', { detector: 'ioc/file-name', ruleId: 'ioc/name' }),
    ])
    expect(v[0]!.severity).toBe('medium')
  })

  it('never lets info findings or low-confidence guesses corroborate', () => {
    expect(
      correlate([finding('ioc', 'low', 'a'), finding('structure', 'info', 'a')])[0]!.severity,
    ).toBe('low')
    expect(
      correlate([finding('ioc', 'info', 'a'), finding('rule', 'info', 'a')])[0]!.severity,
    ).toBe('info')
    const guess = finding('structure', 'medium', 'a', { confidence: 'low' })
    expect(correlate([finding('ioc', 'high', 'a'), guess])[0]!.severity).toBe('high')
    // two low findings from two layers do agree
    expect(correlate([finding('ioc', 'low', 'a'), finding('rule', 'low', 'a')])[0]!.severity).toBe(
      'medium',
    )
  })

  it('raises from what is corroborated, not from a lone low-confidence guess', () => {
    const guess = finding('rule', 'high', 'a', { confidence: 'low' })
    const two = [finding('ioc', 'medium', 'a'), finding('structure', 'medium', 'a')]
    expect(correlate([guess, ...two])[0]!.severity).toBe('high')
    expect(correlate([finding('rule', 'high', 'a'), ...two])[0]!.severity).toBe('critical')
    expect(
      correlate([finding('ioc', 'critical', 'a', { confidence: 'low' }), ...two])[0]!.severity,
    ).toBe('critical')
  })

  it('ignores correlation findings in the input', () => {
    const fs = [finding('ioc', 'medium', 'a'), finding('correlation', 'high', 'a')]
    const [v] = correlate(fs)
    expect(v!.severity).toBe('medium')
    expect(v!.layers).toEqual(['ioc'])
  })

  it('keeps an archive member its own subject, apart from its outer file', () => {
    const v = correlate([
      finding('ioc', 'high', 'setup.zip!/ffmpeg.dll'),
      finding('structure', 'medium', 'setup.zip'),
    ])
    expect(v.map((x) => [x.subject, x.severity])).toEqual([
      ['setup.zip!/ffmpeg.dll', 'high'],
      ['setup.zip', 'medium'],
    ])
  })

  it('joins findings on files a component owns into the component verdict', () => {
    const purl = 'pkg:generic/3cx/3cx-desktop-app@18.12.416'
    const app: Component = {
      name: '3CX Desktop App',
      version: '18.12.416',
      ecosystem: 'windows-app',
      purl,
      locations: ['Programs/3CXDesktopApp'],
      foundBy: 'windows-pe-version',
    }
    const fs = [
      finding('advisory', 'high', 'Programs/3CXDesktopApp/3CXDesktopApp.exe', { component: purl }),
      finding('ioc', 'high', 'Programs/3CXDesktopApp/ffmpeg.dll'),
      finding('structure', 'medium', 'Programs/3CXDesktopApp/d3dcompiler_47.dll'),
      finding('structure', 'medium', 'Other/tool.exe'),
    ]
    const v = correlate(fs, [app])
    expect(v[0]).toMatchObject({ subject: purl, subjectKind: 'component', severity: 'critical' })
    expect(v[0]!.layers).toEqual(['advisory', 'ioc', 'structure'])
    expect(v[0]!.reasons).toEqual([
      'high advisory: advisory says high (Programs/3CXDesktopApp/3CXDesktopApp.exe)',
      'high ioc: ioc says high (Programs/3CXDesktopApp/ffmpeg.dll)',
      'medium structure: structure says medium (Programs/3CXDesktopApp/d3dcompiler_47.dll)',
    ])
    expect(v[1]).toMatchObject({ subject: 'Other/tool.exe', severity: 'medium' })
  })

  it('rolls an archive member up to the component located at its archive', () => {
    const c: Component = {
      name: 'x',
      version: '1',
      ecosystem: 'electron',
      purl: 'pkg:generic/x/x@1',
      locations: ['app/resources/app.asar'],
      foundBy: 'electron-asar',
    }
    const v = correlate([finding('rule', 'medium', 'app/resources/app.asar!/main.js')], [c])
    expect(v[0]!.subject).toBe('pkg:generic/x/x@1')
    // a sibling with a common prefix is not inside it
    const w = correlate([finding('rule', 'medium', 'app/resources/app.asar.bak')], [c])
    expect(w[0]!.subject).toBe('app/resources/app.asar.bak')
  })

  it('does not hand a file that many components share to any one of them', () => {
    const pkg = (name: string, locations: string[]): Component => ({
      name,
      version: '1',
      ecosystem: 'npm',
      purl: `pkg:npm/${name}@1`,
      locations,
      foundBy: 'npm-package-lock',
    })
    const comps = [
      pkg('a', ['web/package-lock.json']),
      pkg('b', ['web/package-lock.json']),
      pkg('app', ['web']),
    ]
    const v = correlate([finding('rule', 'medium', 'web/package-lock.json')], comps)
    expect(v[0]!.subject).toBe('pkg:npm/app@1')
    const alone = correlate([finding('rule', 'medium', 'web/package-lock.json')], comps.slice(0, 2))
    expect(alone[0]!.subject).toBe('web/package-lock.json')
  })

  it('puts findings without location or component on the host', () => {
    const v = correlate([finding('network', 'medium', '')])
    expect(v[0]).toMatchObject({ subject: '(host)', subjectKind: 'host' })
  })

  it('sorts verdicts worst first, then by subject, whatever the input order', () => {
    const fs = [
      finding('ioc', 'low', 'z'),
      finding('ioc', 'high', 'b'),
      finding('ioc', 'high', 'a'),
      finding('rule', 'medium', 'm'),
    ]
    const a = correlate(fs)
    expect(a.map((v) => v.subject)).toEqual(['a', 'b', 'm', 'z'])
    expect(correlate([...fs].reverse())).toEqual(a)
  })
})

describe('correlationFindings', () => {
  it('makes one correlation finding per raised verdict, naming the contributing findings', () => {
    const a = finding('ioc', 'high', 'a.dll')
    const b = finding('structure', 'medium', 'a.dll')
    const note = finding('rule', 'info', 'a.dll')
    const lone = finding('ioc', 'high', 'c.dll')
    const fs = [a, b, note, lone]
    const out = correlationFindings(correlate(fs), fs)
    expect(out).toHaveLength(1)
    const c = out[0]!
    expect(c).toMatchObject({
      ruleId: CORRELATION_RULE,
      layer: 'correlation',
      severity: 'critical',
      confidence: 'high',
      locations: [{ path: 'a.dll' }],
    })
    expect(c.evidence[0]).toEqual({
      kind: 'correlation',
      subject: 'a.dll',
      subjectKind: 'file',
      layers: ['ioc', 'structure'],
      raisedFrom: 'high',
      findingIds: [a.id, b.id],
    })
    expect(c.message).toBe(
      'ioc, structure all report a.dll; severity raised from high to critical.',
    )
  })

  it('withCorrelation appends them once, even when run twice', () => {
    const fs = [finding('ioc', 'medium', 'a'), finding('rule', 'medium', 'a')]
    const once = withCorrelation(fs)
    expect(once.findings).toHaveLength(3)
    expect(once.verdicts[0]!.severity).toBe('high')
    const twice = withCorrelation(once.findings)
    expect(twice.findings).toEqual(once.findings)
  })
})

describe('reasonLine', () => {
  it('names the path only when it differs from the subject', () => {
    const f = finding('ioc', 'high', 'a/b.dll')
    expect(reasonLine(f, 'a/b.dll')).toBe('high ioc: ioc says high')
    expect(reasonLine(f, 'pkg:npm/x@1')).toBe('high ioc: ioc says high (a/b.dll)')
  })
})
