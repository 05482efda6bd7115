import { existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIntel } from '../intel/build-index.js'
import { loadIntel } from '../intel/load.js'
import { analyzeLogs } from './analyze.js'
import { beaconSeverity } from './detect/beacons.js'

const NETDATA = join(import.meta.dirname, '../../../shared/netdata')
const has = existsSync(NETDATA)
const intel = buildIntel([], [])

describe.skipIf(!has)('shared network samples', () => {
  it("RITA's proxy fixture: honestimnotevil ranks first with RITA's published scores", async () => {
    const a = await analyzeLogs([join(NETDATA, 'rita-proxy-tsv')], {
      intel,
      beaconMin: 0.5,
      periodicityGate: 0,
    })
    expect(a.stats.malformed).toBe(0)
    const top = a.beacons[0]!
    expect([top.pair.src, top.pair.dst]).toEqual(['10.136.0.18', 'www.honestimnotevil.com'])
    const rita = top.beacon.rita!
    expect(Math.abs(rita.score - 0.979)).toBeLessThanOrEqual(0.05)
    expect(Math.abs(rita.ts - 0.921)).toBeLessThanOrEqual(0.05)
    expect(Math.abs(rita.ds! - 0.995)).toBeLessThanOrEqual(0.05)
    expect(rita.dur).toBeCloseTo(1, 2)
    expect(rita.hist).toBeCloseTo(1, 2)
    expect(top.pair.via).toEqual(['10.136.0.16'])
    const google = a.beacons.find((b) => b.pair.dst === 'www.google.com')!
    expect(Math.abs(google.beacon.rita!.score - 0.586)).toBeLessThanOrEqual(0.05)
    expect(google.rank).toBeLessThan(top.rank)
  })

  it('the labelled RemcosRAT C2 pair is found, first', async () => {
    const a = await analyzeLogs([join(NETDATA, 'slips-ctu-sme-11-remcos')], { intel })
    const top = a.beacons[0]!
    expect([top.pair.src, top.pair.dst]).toEqual(['192.168.1.107', '66.63.168.35:5888'])
    const f = a.findings.find(
      (x) => x.ruleId === 'net/beacon' && x.title.includes('66.63.168.35:5888'),
    )!
    expect(f.severity).not.toBe('info')
    expect(f.evidence[0]).toMatchObject({ connections: 719, pairKind: 'ip' })
  })

  it('the benign WRCCDC logs (TSV and JSON) give no high finding, bundled intel included', async () => {
    const { intel: bundled } = await loadIntel({
      storeDir: join(tmpdir(), 'vigil-net-test-no-store'),
    })
    for (const ext of ['log.gz', 'json.gz']) {
      const files = ['dns', 'ssl', 'x509'].map((n) =>
        join(NETDATA, 'zed-wrccdc-2018', `${n}.${ext}`),
      )
      const a = await analyzeLogs(files, { intel: bundled })
      expect(a.stats.malformed).toBe(0)
      expect(a.stats.records.dns).toBe(53_615)
      // the 2018 capture resolves polyfill.io, six years before it turned bad: context only
      const poly = a.findings.filter((f) => f.title.includes('polyfill.io'))
      expect(poly.length).toBeGreaterThan(0)
      for (const f of poly)
        expect([f.severity, f.evidence[0]!.predatesIndicator]).toEqual(['info', true])
      expect(a.stats.records.tls).toBe(49_474)
      const severe = a.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')
      expect(severe).toEqual([])
      for (const b of a.beacons) expect(beaconSeverity(b).severity).not.toBe('high')
    }
  })

  it('every Zeek baseline file parses with zero malformed lines', async () => {
    const dir = join(NETDATA, 'zeek-btest-baselines')
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
      const a = await analyzeLogs([join(dir, name)], { intel })
      expect(a.stats.malformed, name).toBe(0)
      const kind = name.split('.')[0]!
      if (['conn', 'dns', 'http', 'ssl', 'x509'].includes(kind)) {
        expect(a.files[0], name).toMatchObject({ format: 'zeek-tsv', zeek: kind })
        expect(
          Object.values(a.stats.records).reduce((x, y) => x + y, 0),
          name,
        ).toBeGreaterThan(0)
      }
    }
  })

  it('Suricata eve (Suricata 6, DNS v1/v2) parses and reports its alerts', async () => {
    const a = await analyzeLogs([join(NETDATA, 'slips-suricata-eve')], { intel })
    expect(a.stats.malformed).toBe(0)
    expect(a.stats.records.alert).toBeGreaterThan(0)
    expect(a.stats.records.dns).toBeGreaterThan(0)
    expect(a.findings.some((f) => f.detector === 'net/ids-alert')).toBe(true)
    expect(a.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([])
  })

  it("RITA's JSON fixtures (epoch ts, _path) parse", async () => {
    const a = await analyzeLogs([join(NETDATA, 'rita-json')], { intel })
    expect(a.stats.malformed).toBe(0)
    expect(a.stats.records).toMatchObject({ conn: 29, dns: 34, http: 10, tls: 10 })
  })
})
