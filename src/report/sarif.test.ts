import { describe, expect, it } from 'vitest'
import { makeFinding } from '../core/finding-id.js'
import type { Report } from '../core/types.js'
import { relativeUri, sarifLevel, sarifReport, splitMember } from './sarif.js'
import { sampleReport } from './testdata/sample.js'
import { sarifValidator } from './testdata/sarif-validator.js'

const validate = sarifValidator()

// biome-ignore lint/suspicious/noExplicitAny: SARIF is checked by the official schema, not by types
type Json = any

function sarifOf(r: Report): Json {
  const log = JSON.parse(sarifReport(r)) as Json
  const ok = validate(log)
  expect(validate.errors ?? [], 'valid against the official SARIF 2.1.0 schema').toEqual([])
  expect(ok).toBe(true)
  return log
}

describe('sarifReport', () => {
  it('is valid SARIF 2.1.0 with one run, rules and results', () => {
    const r = sampleReport()
    const log = sarifOf(r)
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    const run = log.runs[0]
    expect(run.tool.driver.name).toBe('vigil')
    expect(run.results).toHaveLength(r.findings.length)
    const ids = run.tool.driver.rules.map((x: Json) => x.id)
    expect(ids).toEqual([...new Set(r.findings.map((f) => f.ruleId))].sort())
    for (const res of run.results) expect(ids[res.ruleIndex]).toBe(res.ruleId)
  })

  it('maps severity to level, rule defaults and helpUri', () => {
    expect(
      ['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as never)),
    ).toEqual(['error', 'error', 'warning', 'note', 'note'])
    const run = sarifOf(sampleReport()).runs[0]
    const adv = run.tool.driver.rules.find((x: Json) => x.id.startsWith('advisory/'))
    expect(adv).toMatchObject({
      shortDescription: { text: 'Known-compromised release' },
      helpUri: 'https://www.3cx.com/blog/news/desktopapp-security-alert/',
      defaultConfiguration: { level: 'error' },
      properties: { layer: 'advisory', 'security-severity': '8.0' },
    })
    const corr = run.results.find((x: Json) => x.ruleId === 'correlation/layers-agree')
    expect(corr.level).toBe('error')
    expect(corr.properties.severity).toBe('critical')
    expect(corr.properties.evidence[0].findingIds).toHaveLength(3)
  })

  it('carries the finding id, layer, confidence and evidence', () => {
    const r = sampleReport()
    const run = sarifOf(r).runs[0]
    const f = r.findings.find((x) => x.ruleId === 'structure/cert-padding')!
    const res = run.results.find((x: Json) => x.ruleId === 'structure/cert-padding')
    expect(res.partialFingerprints).toEqual({ 'vigilFindingId/v1': f.id })
    expect(res.properties).toMatchObject({ layer: 'structure', confidence: 'medium' })
    expect(res.properties.evidence[0]).toMatchObject({ kind: 'cert-padding', offset: 4_599_296 })
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'Programs/3CXDesktopApp/d3dcompiler_47.dll', uriBaseId: 'TARGET' },
      region: { byteOffset: 4_599_296, byteLength: 4096 },
    })
  })

  it('names the component of a finding as a package logical location', () => {
    const r = sampleReport()
    const run = sarifOf(r).runs[0]
    const adv = run.results.find((x: Json) => x.ruleId.startsWith('advisory/'))
    expect(adv.locations[0].logicalLocations).toEqual([
      { fullyQualifiedName: 'pkg:generic/3cx/3cx-desktop-app@18.12.416', kind: 'package' },
    ])
    r.findings = r.findings.map((f) => (f.component ? { ...f, locations: [] } : f))
    const bare = sarifOf(r).runs[0].results.find((x: Json) => x.ruleId.startsWith('advisory/'))
    expect(bare.locations).toEqual([
      {
        logicalLocations: [
          { fullyQualifiedName: 'pkg:generic/3cx/3cx-desktop-app@18.12.416', kind: 'package' },
        ],
      },
    ])
  })

  it('points an archive member at its file on disk and names the member', () => {
    const run = sarifOf(sampleReport()).runs[0]
    const res = run.results.find((x: Json) => x.ruleId.startsWith('rule/'))
    expect(res.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'downloads/3CXDesktopApp-18.12.416.msi', uriBaseId: 'TARGET' },
      },
      message: { text: 'archive member ffmpeg.dll' },
      properties: {
        member: 'ffmpeg.dll',
        offset: 1024,
        path: 'downloads/3CXDesktopApp-18.12.416.msi!/ffmpeg.dll',
      },
    })
    expect(splitMember('a.zip!/b.jar!/c.class')).toEqual({
      file: 'a.zip',
      member: 'b.jar!/c.class',
    })
  })

  it('reports problems as tool execution notifications and verdicts in run properties', () => {
    const r = sampleReport()
    const run = sarifOf(r).runs[0]
    const notes = run.invocations[0].toolExecutionNotifications
    expect(notes.map((n: Json) => [n.level, n.message.text])).toEqual([
      ['warning', 'collect: special file (FIFO) skipped'],
      ['error', 'collect: truncated archive: end of central directory not found'],
    ])
    expect(run.properties.verdicts).toHaveLength(r.verdicts!.length)
    expect(run.properties.stats.suppressed).toBe(2)
    expect(run.originalUriBaseIds.TARGET.uri).toBe('file:///mnt/image/')
  })

  it('encodes hostile file names into valid relative URIs', () => {
    expect(relativeUri('a b/c#d?e%f.dll')).toBe('a%20b/c%23d%3Fe%25f.dll')
    expect(relativeUri('c:evil/x')).toBe('c%3Aevil/x')
    expect(relativeUri('bad\uD800name')).toBe('bad%EF%BF%BDname')
    const names = ['c:evil', 'sp ace/ü.exe', 'bad\uD800x', 'nl\nname', '%41', 'a.zip!/..%2f/x', '']
    const r = sampleReport()
    r.findings = names.map((path) =>
      makeFinding({
        ruleId: 'ioc/file-name',
        detector: 'ioc/file-name',
        layer: 'ioc',
        severity: 'low',
        confidence: 'high',
        title: 'name',
        message: 'm',
        locations: [{ path, line: 3 }],
        evidence: [{ kind: 'x' }],
      }),
    )
    r.verdicts = undefined
    const run = sarifOf(r).runs[0]
    expect(run.results).toHaveLength(names.length)
  })

  it('is valid for an empty report with relative targets', () => {
    const clean: Report = {
      schemaVersion: 1,
      tool: { name: 'vigil', version: '0.1.0', intel: [] },
      targets: [
        { path: 'rel/dir', kind: 'dir' },
        { path: 'x.zip', kind: 'archive' },
      ],
      components: [],
      findings: [],
      problems: [],
      stats: { files: 0, bytes: 0, durationMs: 0 },
    }
    const run = sarifOf(clean).runs[0]
    expect(run.results).toEqual([])
    expect(run.originalUriBaseIds.TARGET.uri).toBeUndefined()
  })

  it('gives the same bytes whatever the input order', () => {
    const r = sampleReport()
    const shuffled: Report = {
      ...r,
      findings: [...r.findings].reverse(),
      problems: [...r.problems].reverse(),
      verdicts: [...(r.verdicts ?? [])].reverse(),
    }
    expect(sarifReport(shuffled)).toBe(sarifReport(r))
  })

  it('the schema check itself can fail', () => {
    const log = JSON.parse(sarifReport(sampleReport())) as Json
    log.runs[0].results[0].level = 'fatal'
    expect(validate(log)).toBe(false)
  })
})
