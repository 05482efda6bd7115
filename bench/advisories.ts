/**
 * Advisory matching speed (issue 5): 10,000 components against 200,000 OSV advisories must take
 * ≤ 2 s, from the advisory records as loaded to sorted findings. Synthetic but shaped like the
 * real feeds: npm, PyPI, Debian, Alpine, Maven and Go records with multi-interval ranges,
 * explicit version lists, aliases and withdrawn records; about one component in three has
 * advisories.
 *
 *   npx tsx bench/advisories.ts [components] [advisories]
 */
import { performance } from 'node:perf_hooks'
import { matchAdvisories } from '../src/advisory/detector.js'
import { mulberry32 as rng } from '../src/binary/fuzz.js'
import type { Component } from '../src/core/types.js'
import type { AdvisoryRecord, OsvRecord } from '../src/intel/records.js'

const ECOSYSTEMS = [
  { osv: 'npm', comp: 'npm', ver: (a: number, b: number, c: number) => `${a}.${b}.${c}` },
  { osv: 'PyPI', comp: 'pypi', ver: (a: number, b: number, c: number) => `${a}.${b}.${c}` },
  { osv: 'Debian:12', comp: 'deb', ver: (a: number, b: number, c: number) => `${a}.${b}-${c}` },
  {
    osv: 'Alpine:v3.19',
    comp: 'apk',
    ver: (a: number, b: number, c: number) => `${a}.${b}.${c}-r0`,
  },
  { osv: 'Maven', comp: 'maven', ver: (a: number, b: number, c: number) => `${a}.${b}.${c}` },
  { osv: 'Go', comp: 'golang', ver: (a: number, b: number, c: number) => `v${a}.${b}.${c}` },
] as const

function pkgName(eco: string, i: number): string {
  return eco === 'Maven'
    ? `org.example${i % 97}:artifact-${i}`
    : eco === 'Go'
      ? `example.com/m${i}`
      : `pkg-${i}`
}

export function makeAdvisories(count: number, packages: number, seed = 7): AdvisoryRecord[] {
  const r = rng(seed)
  const int = (n: number) => Math.floor(r() * n)
  const out: AdvisoryRecord[] = []
  for (let i = 0; i < count; i++) {
    const e = ECOSYSTEMS[i % ECOSYSTEMS.length]!
    const p = int(packages)
    const events = []
    let major = 0
    for (let k = 0, n = 1 + int(3); k < n; k++) {
      major += 1 + int(2)
      events.push({ introduced: e.ver(major, 0, 0) }, { fixed: e.ver(major, int(10), 1 + int(20)) })
    }
    const osv: OsvRecord = {
      id: `BENCH-${i}`,
      aliases: [`CVE-2099-${int(count)}`],
      summary: `synthetic advisory ${i}`,
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N' }],
      affected: [
        {
          package: { ecosystem: e.osv, name: pkgName(e.osv, p) },
          ranges: [{ type: e.osv === 'npm' || e.osv === 'Go' ? 'SEMVER' : 'ECOSYSTEM', events }],
          ...(i % 5 === 0
            ? { versions: Array.from({ length: 20 }, (_, k) => e.ver(1, k, 0)) }
            : {}),
        },
      ],
    }
    if (i % 50 === 0) osv.withdrawn = '2099-01-01T00:00:00Z'
    out.push({
      kind: 'advisory',
      id: osv.id,
      source: 'bench',
      confidence: 'high',
      references: [],
      osv,
    })
  }
  return out
}

export function makeComponents(count: number, packages: number, seed = 11): Component[] {
  const r = rng(seed)
  const int = (n: number) => Math.floor(r() * n)
  return Array.from({ length: count }, (_, i) => {
    const e = ECOSYSTEMS[i % ECOSYSTEMS.length]!
    const name = pkgName(e.osv, int(packages * 3))
    const version = e.ver(1 + int(6), int(10), int(25))
    const [group, artifact] = name.split(':')
    const purl =
      e.comp === 'maven'
        ? `pkg:maven/${group}/${artifact}@${version}`
        : e.comp === 'deb'
          ? `pkg:deb/debian/${name}@${version}`
          : `pkg:${e.comp}/${name}@${version}`
    return { name, version, ecosystem: e.comp, purl, locations: [`c/${i}`], foundBy: 'bench' }
  })
}

export function runAdvisoryBench(components = 10_000, advisories = 200_000) {
  const packages = Math.max(1, Math.floor(advisories / 20))
  const recs = makeAdvisories(advisories, packages)
  const comps = makeComponents(components, packages)
  ;(globalThis as { gc?: () => void }).gc?.()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const findings = matchAdvisories(comps, recs)
  const t2 = performance.now()
  const cpu = process.cpuUsage(cpu0)
  return {
    components,
    advisories,
    totalMs: Math.round(t2 - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    findings: findings.length,
    affectedComponents: new Set(findings.map((f) => f.component)).size,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [c, a] = process.argv.slice(2).map(Number)
  const res = runAdvisoryBench(c || undefined, a || undefined)
  console.log(JSON.stringify(res))
  if (res.totalMs > 2000) process.exitCode = 1
}
