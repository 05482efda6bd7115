import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateNetLogs } from '../../scripts/gen-netlogs.js'
import { main } from '../cli/main.js'
import type { Report } from '../core/types.js'
import { validateReport } from '../report/validate.js'

let dir: string
let logs: string
let intel: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-net-cli-'))
  logs = generateNetLogs(join(dir, 'logs'), 8)['zeek-tsv']
  intel = join(dir, 'intel.csv')
  writeFileSync(
    intel,
    'type,value,severity,description,reference,id,campaign\n' +
      'url,https://raw.githubusercontent.com/IconStorages/images/main/,critical,3CX-style icon fetch,https://example.org/a,t-url,synthetic\n' +
      'domain,sleepy-c2.example,high,sleeper C2,https://example.org/b,t-dom,synthetic\n',
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function net(...args: string[]): Promise<{ code: number; text: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  const code = await main(['net', ...args, '--output', out, '--quiet'])
  return { code, text: readFileSync(out, 'utf8') }
}

describe('vigil net', () => {
  it('writes a schema-valid JSON report with IOC contacts and ranked beacons, exit 1 at high', async () => {
    const { code, text } = await net(logs, '--format', 'json', '--intel', intel)
    expect(code).toBe(1)
    const doc = JSON.parse(text) as Report
    const valid = validateReport(doc)
    expect(valid.ok ? [] : valid.errors).toEqual([])
    expect(doc.targets).toEqual([{ path: logs, kind: 'netlog' }])
    const url = doc.findings.find((f) => f.ruleId === 'net/ioc-url')!
    expect(url.severity).toBe('critical')
    expect(url.locations[0]!.path).toBe(`${logs}/http.log`)
    const beacons = doc.findings.filter((f) => f.ruleId === 'net/beacon')
    const first = beacons.find((f) => f.evidence[0]!.rank === 1)!
    expect(first.severity).not.toBe('info')
    expect(doc.findings.every((f) => f.layer === 'network')).toBe(true)
  })

  it('writes a table and SARIF', async () => {
    const table = await net(logs, '--format', 'table', '--fail-on', 'none')
    expect(table.code).toBe(0)
    expect(table.text).toContain('Beaconing')
    const sarif = JSON.parse((await net(logs, '--format', 'sarif', '--fail-on', 'none')).text)
    const results = sarif.runs[0].results as { ruleId: string }[]
    expect(results.some((r) => r.ruleId === 'net/beacon')).toBe(true)
  })

  it('joins a host scan report: one host verdict naming component and contact', async () => {
    const scanReport: Report = {
      schemaVersion: 1,
      tool: { name: 'vigil', version: '0.1.0', intel: [] },
      host: { name: 'desk-13', addresses: ['10.0.0.13'] },
      targets: [{ path: 'C:/Program Files/3CXDesktopApp', kind: 'dir' }],
      components: [],
      findings: [
        {
          id: 'abc123',
          ruleId: 'advisory/MAL-3CX',
          detector: 'advisory',
          layer: 'advisory',
          severity: 'critical',
          confidence: 'high',
          title: 'Known-compromised 3CX Desktop App 18.12.416',
          message: 'compromised release',
          locations: [{ path: '3CXDesktopApp.exe' }],
          component: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
          evidence: [{ kind: 'advisory-range' }],
        },
      ],
      problems: [],
      stats: { files: 1, bytes: 1, durationMs: 1 },
    }
    const scanPath = join(dir, 'scan-13.json')
    writeFileSync(scanPath, JSON.stringify(scanReport))
    const { text } = await net(logs, '--format', 'json', '--intel', intel, '--with-scan', scanPath)
    const doc = JSON.parse(text) as Report
    const v = doc.verdicts!.find((x) => x.subject === 'desk-13')!
    expect(v).toMatchObject({ subjectKind: 'host', severity: 'critical' })
    expect(v.layers).toEqual(['advisory', 'network'])
    const corr = doc.findings.find((f) => f.ruleId === 'net/host-correlation')!
    expect(corr.evidence[0]).toMatchObject({
      host: 'desk-13',
      address: '10.0.0.13',
      components: ['pkg:generic/3cx/3cx-desktop-app@18.12.416'],
    })
    expect(
      (corr.evidence[0]!.contacts as string[]).some((c) => c.includes('sleepy-c2.example')),
    ).toBe(true)
  })

  it('maps addresses to reports by flag, and rejects a file that is not a report (exit 2)', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"hello": 1}')
    expect(
      await main(['net', logs, '--with-scan', bad, '--quiet', '--output', join(dir, 'x')]),
    ).toBe(2)
    expect(await main(['net', join(dir, 'missing'), '--quiet', '--output', join(dir, 'y')])).toBe(2)
  })
})
