import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import { COMPARATORS, compareVersions, schemeFor } from './compare.js'

describe('schemeFor', () => {
  it('maps OSV ecosystem names to schemes', () => {
    const cases: [string, string][] = [
      ['npm', 'semver'],
      ['crates.io', 'semver'],
      ['PyPI', 'pep440'],
      ['Debian:12', 'debian'],
      ['Ubuntu:22.04:LTS', 'debian'],
      ['Alpine:v3.19', 'alpine'],
      ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
      ['Rocky Linux:9', 'rpm'],
      ['AlmaLinux:8', 'rpm'],
      ['openSUSE:Tumbleweed', 'rpm'],
      ['Maven', 'maven'],
      ['Go', 'go'],
      ['Vendor', 'dotted'],
    ]
    for (const [eco, scheme] of cases) expect(schemeFor(eco).scheme, eco).toBe(scheme)
  })

  it('falls back to dotted-numeric with low confidence and a note', () => {
    const s = schemeFor('SomethingNew')
    expect(s).toMatchObject({ scheme: 'dotted', confidence: 'low' })
    expect(s.note).toContain('SomethingNew')
  })
})

describe('compareVersions', () => {
  it('agrees with the semver package for npm on every version in package-lock.json', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string }>
    }
    const versions = [
      ...new Set(Object.values(lock.packages).flatMap((p) => (p.version ? [p.version] : []))),
    ]
    expect(versions.length).toBeGreaterThan(50)
    for (let i = 0; i + 1 < versions.length; i++) {
      const a = versions[i]!
      const b = versions[i + 1]!
      expect(compareVersions('npm', a, b), `${a} vs ${b}`).toBe(semver.compare(a, b))
    }
  })

  it('routes the 3CX example through dotted-numeric', () => {
    expect(compareVersions('Vendor', '18.12.416', '18.12.425')).toBeLessThan(0)
  })

  it('never throws and stays antisymmetric on mutated input (fuzz)', () => {
    const iterations = Number(process.env.VIGIL_FUZZ_ITERATIONS ?? 20_000)
    const seeds = ['1.0.0-rc.1', '2:1.2~rc1-3', '1.0^git1~pre-1.el9', '1!2.0a1.post3.dev4+l.5']
    const alphabet = '0123456789.-_~^+:!abcprv '
    let state = 42
    const rand = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      return state % n
    }
    const mutate = (s: string) => {
      const i = rand(s.length + 1)
      const c = alphabet[rand(alphabet.length)]!
      return rand(2) ? s.slice(0, i) + c + s.slice(i) : s.slice(0, i) + s.slice(i + 1)
    }
    const schemes = Object.values(COMPARATORS)
    for (let k = 0; k < iterations; k++) {
      const a = mutate(seeds[rand(seeds.length)]!)
      const b = mutate(seeds[rand(seeds.length)]!)
      const cmp = schemes[k % schemes.length]!
      const x = Math.sign(cmp(a, b))
      const y = Math.sign(cmp(b, a))
      if (x !== -y) expect(`${a} vs ${b}: ${x}/${y}`).toBe('antisymmetric')
    }
  })
})
