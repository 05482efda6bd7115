import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BENIGN, generateNetLogs, type LogFormatName, TRUTH } from '../../scripts/gen-netlogs.js'
import { buildIntel } from '../intel/build-index.js'
import type { NetworkIndicator } from '../intel/records.js'
import { analyzeLogs, type NetAnalysis } from './analyze.js'

const indicator = (
  id: string,
  type: NetworkIndicator['type'],
  value: string,
): NetworkIndicator => ({
  kind: 'network',
  type,
  value,
  id,
  source: 'test-pack',
  confidence: 'high',
  severity: 'critical',
  references: ['https://example.org/advisory'],
  campaign: 'synthetic',
})

const INTEL = buildIntel(
  [
    indicator('url-icons', 'url', 'https://raw.githubusercontent.com/IconStorages/images/main/'),
    indicator('dom-sleepy', 'domain', 'sleepy-c2.example'),
    indicator('ip-fixed', 'ip', '203.0.113.10'),
  ],
  [{ source: 'test-pack', version: '1' }],
)
const NO_INTEL = buildIntel([], [])

let dir: string
let dirs: Record<LogFormatName, string>
const results = new Map<string, NetAnalysis>()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-netlogs-'))
  dirs = generateNetLogs(dir, 16)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(format: LogFormatName, withIntel: boolean): Promise<NetAnalysis> {
  const key = `${format}:${withIntel}`
  let a = results.get(key)
  if (!a) {
    a = await analyzeLogs([dirs[format]], { intel: withIntel ? INTEL : NO_INTEL })
    results.set(key, a)
  }
  return a
}

const FORMATS: LogFormatName[] = ['zeek-tsv', 'zeek-json', 'suricata', 'squid']

describe.each(FORMATS)('synthetic %s logs', (format) => {
  const truths = TRUTH.filter((t) => t.formats.includes(format))

  it('ranks exactly the known beacons first, each with its facts', async () => {
    const a = await run(format, false)
    expect(a.stats.malformed).toBe(0)
    const top = a.beacons.slice(0, truths.length).map((b) => `${b.pair.src}>${b.pair.dst}`)
    expect(new Set(top)).toEqual(new Set(truths.map((t) => `${t.src}>${t.dst}`)))
    for (const b of a.beacons.slice(0, truths.length)) {
      expect(b.beacon.score, b.pair.dst).toBeGreaterThanOrEqual(0.9)
      const f = a.findings.find(
        (x) =>
          x.ruleId === 'net/beacon' && x.title.endsWith(b.pair.dst) && x.title.includes(b.pair.src),
      )!
      expect(f.severity).toBe('medium')
      expect(f.evidence[0]).toMatchObject({ src: b.pair.src, dst: b.pair.dst, corroborated: false })
      expect(f.evidence[0]!.periodSeconds).toBeGreaterThan(0)
      expect(f.locations[0]!.line).toBeGreaterThan(0)
    }
  })

  it('keeps benign periodic services low and nothing high without intel', async () => {
    const a = await run(format, false)
    expect(a.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([])
    const benign = a.beacons.filter((b) => BENIGN.some((d) => b.pair.dst.startsWith(d)))
    expect(benign.length).toBeGreaterThan(0)
    const lastTruth = a.beacons[truths.length - 1]!.rank
    for (const b of benign) expect(b.rank).toBeLessThan(lastTruth)
    for (const f of a.findings.filter((x) => BENIGN.some((d) => x.title.endsWith(d)))) {
      expect(f.severity).toBe('info')
    }
  })

  it('catches intel contacts, including a URL path under a popular host, and raises their beacons', async () => {
    const a = await run(format, true)
    const ioc = a.findings.filter((f) => f.detector === 'net/ioc-contact')
    const urlHit = ioc.find((f) => f.ruleId === 'net/ioc-url')!
    expect(urlHit.evidence[0]).toMatchObject({ src: '10.0.0.15', via: ['http-url'] })
    expect(urlHit.severity).toBe('critical')
    expect(urlHit.locations.length).toBeGreaterThan(0)
    expect(urlHit.locations[0]!.line).toBeGreaterThan(1)
    // other hosts fetch other paths from the same host: no URL hit for them
    expect(ioc.filter((f) => f.ruleId === 'net/ioc-url').map((f) => f.evidence[0]!.src)).toEqual([
      '10.0.0.15',
    ])
    expect(
      ioc.some((f) => f.ruleId === 'net/ioc-domain' && f.evidence[0]!.src === '10.0.0.13'),
    ).toBe(true)
    const sleepy = a.findings.find(
      (f) => f.ruleId === 'net/beacon' && f.title.endsWith('cdn.sleepy-c2.example'),
    )!
    expect(sleepy.severity).toBe('high')
    if (format !== 'squid') {
      expect(ioc.some((f) => f.ruleId === 'net/ioc-ip' && f.evidence[0]!.src === '10.0.0.11')).toBe(
        true,
      )
    }
  })
})

describe('beyond RITA', () => {
  it('a beacon after a 7-day sleep scores high although RITA dilutes it', async () => {
    const a = await run('zeek-tsv', false)
    const b = a.beacons.find((x) => x.pair.dst === 'cdn.sleepy-c2.example')!
    expect(b.beacon.rita!.score).toBeLessThan(0.8)
    expect(b.beacon.active!.score).toBeGreaterThanOrEqual(0.95)
  })

  it('±30 % jitter still scores high', async () => {
    const a = await run('zeek-tsv', false)
    const b = a.beacons.find((x) => x.pair.dst === '198.51.100.20:8443')!
    expect(b.beacon.score).toBeGreaterThanOrEqual(0.9)
    expect(b.beacon.jitter).toBeGreaterThan(0.1)
  })

  it('a rare new destination corroborates the sleeper', async () => {
    const a = await run('zeek-tsv', false)
    const rare = a.findings.filter((f) => f.ruleId === 'net/rare-destination')
    expect(rare.map((f) => f.evidence[0]!.dst)).toContain('cdn.sleepy-c2.example')
    for (const f of rare) expect(['low', 'info']).toContain(f.severity)
  })
})
