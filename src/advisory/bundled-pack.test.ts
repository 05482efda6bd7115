import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Component } from '../core/types.js'
import { loadIntel } from '../intel/load.js'
import { parseDpkgStatus } from '../inventory/dpkg/dpkg-status.js'
import { matchAdvisories } from './detector.js'
import { component, threeCx } from './testing.js'

const { intel } = await loadIntel({ bundled: true })
const run = (...cs: Component[]) => matchAdvisories(cs, intel.advisories)

describe('advisories from the bundled intel pack', () => {
  it('has advisory records to match against', () => {
    expect(intel.advisories.length).toBeGreaterThan(5)
  })

  it('3CX Desktop App 18.12.416 on Windows: critical known-compromised release, update to 18.12.425', () => {
    const found = run(threeCx('18.12.416'))
    expect(found).toHaveLength(1)
    const f = found[0]!
    expect(f.severity).toBe('critical')
    expect(f.title).toMatch(/^Known-compromised release: 3CX Desktop App 18\.12\.416/)
    expect(f.remediation).toEqual({
      summary: 'update to 18.12.425 or later',
      fixedVersion: '18.12.425',
    })
    expect(f.message).toContain('CVE-2023-29059')
    expect(f.evidence[0]).toMatchObject({ kind: 'advisory-versions', source: 'vigil-pack' })
  })

  it('3CX 18.12.425 and 18.12.422 come out clean; the macOS-only 18.11.1213 only on macOS', () => {
    expect(run(threeCx('18.12.425'), threeCx('18.12.422'), threeCx('18.11.1213'))).toEqual([])
    expect(run(threeCx('18.11.1213', 'macos'))).toHaveLength(1)
  })

  it('flags a MAL- npm package for removal and ua-parser-js on its own branch', () => {
    const [mal] = run(component({ name: 'flatmap-stream', version: '0.1.1', ecosystem: 'npm' }))
    expect(mal).toBeDefined()
    const ua = run(component({ name: 'ua-parser-js', version: '0.8.0', ecosystem: 'npm' }))
    expect(ua.map((f) => f.remediation?.fixedVersion)).toEqual(['0.8.1'])
    expect(run(component({ name: 'ua-parser-js', version: '0.7.30', ecosystem: 'npm' }))).toEqual(
      [],
    )
  })

  it('matches a scoped npm package named as an SBOM names it (name without scope, purl with it)', () => {
    const fromSbom = component({
      name: 'connect-kit',
      version: '1.1.6',
      ecosystem: 'npm',
      purl: 'pkg:npm/%40ledgerhq/connect-kit@1.1.6',
    })
    const [f] = run(fromSbom)
    expect(f?.ruleId).toBe('advisory/MAL-2023-8697')
    expect(f?.remediation?.summary).toMatch(/^remove /)
    expect(
      run({ ...fromSbom, version: '1.1.8', purl: 'pkg:npm/%40ledgerhq/connect-kit@1.1.8' }),
    ).toEqual([])
  })

  it('leaves a clean Debian xz-utils alone and flags the backdoored one', () => {
    const xz = (version: string) =>
      component({
        name: 'liblzma5',
        version,
        ecosystem: 'deb',
        purl: `pkg:deb/debian/liblzma5@${version}`,
        metadata: { source: 'xz-utils' },
      })
    expect(run(xz('5.4.1-0.2'), xz('5.6.1+really5.4.5-1'))).toEqual([])
    expect(run(xz('5.6.1-1'))[0]?.remediation?.fixedVersion).toBe('5.6.1+really5.4.5-1')
  })
})

describe('a clean system comes out clean', () => {
  it.runIf(existsSync('/var/lib/dpkg/status'))(
    'this machine’s Debian packages and the project’s npm tree have no bundled-pack findings',
    async () => {
      const status = readFileSync('/var/lib/dpkg/status', 'utf8')
      const debs = parseDpkgStatus(status, 'var/lib/dpkg/status')
      expect(debs.length).toBeGreaterThan(100)
      const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
        packages: Record<string, { version?: string }>
      }
      const npm = Object.entries(lock.packages).flatMap(([path, p]) => {
        const name = path.split('node_modules/').pop()
        return name && p.version ? [component({ name, version: p.version, ecosystem: 'npm' })] : []
      })
      expect(run(...debs, ...npm)).toEqual([])
    },
  )
})
