import { describe, expect, it } from 'vitest'
import { matchAdvisories } from './detector.js'
import { osvRelease, sameRelease } from './match.js'
import { component, sampleAdvisories, threeCx } from './testing.js'

const advisories = sampleAdvisories()
const run = (...components: Parameters<typeof matchAdvisories>[0][number][]) =>
  matchAdvisories(components, advisories)

describe('matchAdvisories', () => {
  it('flags 3CX Desktop App 18.12.416 on Windows as a known-compromised release', () => {
    const [f, ...rest] = run(threeCx('18.12.416'))
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      ruleId: 'advisory/CVE-2023-29059',
      layer: 'advisory',
      severity: 'critical',
      confidence: 'high',
      component: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
      locations: [{ path: '3CXDesktopApp/3CXDesktopApp.exe' }],
      remediation: { summary: 'update to 18.12.425 or later', fixedVersion: '18.12.425' },
    })
    expect(f!.title).toContain('Known-compromised release: 3CX Desktop App 18.12.416')
    expect(f!.message).toContain('known-compromised release')
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'advisory-versions',
        id: 'VIGIL-2023-3CX-WIN',
        installed: '18.12.416',
        versions: ['18.12.407', '18.12.416'],
      }),
    )
    expect(f!.references).toContain('https://nvd.nist.gov/vuln/detail/CVE-2023-29059')
  })

  it('leaves 3CX 18.12.425 and 18.12.422 alone, and a 4-part 18.12.416.0 is the same release', () => {
    expect(run(threeCx('18.12.425'), threeCx('18.12.422'))).toEqual([])
    expect(run(threeCx('18.12.416.0'))).toHaveLength(1)
  })

  it('matches a 4-part Windows file version against the 3-part vendor release', () => {
    const cc = (version: string) => ({
      ...threeCx(version),
      name: 'CCleaner',
      purl: `pkg:generic/piriform/ccleaner@${version}`,
      vendor: 'piriform',
      product: 'ccleaner',
      metadata: { platform: 'windows', productName: 'CCleaner' },
    })
    const [f] = run(cc('5.33.0.6162'))
    expect(f?.remediation?.fixedVersion).toBe('5.34')
    expect(run(cc('5.33.0.6163'), cc('5.34.0.6178'))).toEqual([])
  })

  it('respects the platform: macOS 18.11.1213 is affected, Windows 18.11.1213 is not', () => {
    expect(run(threeCx('18.11.1213', 'windows'))).toEqual([])
    const [mac] = run(threeCx('18.11.1213', 'macos'))
    expect(mac?.evidence.map((e) => e.id)).toEqual(['VIGIL-2023-3CX-MAC'])
    expect(mac?.remediation?.summary).toMatch(/^no fixed version is known/)
  })

  it('makes MAL- records critical with remediation "remove"', () => {
    const [f] = run(component({ name: 'evil-helper', version: '3.0.0', ecosystem: 'npm' }))
    expect(f).toMatchObject({ ruleId: 'advisory/MAL-2099-0001', severity: 'critical' })
    expect(f!.remediation?.summary).toMatch(/^remove evil-helper 3\.0\.0/)
  })

  it('merges aliases into one finding listing every id, ignores withdrawn records', () => {
    const found = run(component({ name: 'left-pad-ish', version: '2.1.0', ecosystem: 'npm' }))
    expect(found).toHaveLength(1)
    const f = found[0]!
    expect(f.ruleId).toBe('advisory/CVE-2099-1000')
    expect(f.message).toContain('CVE-2099-1000, GHSA-aaaa-bbbb-cccc, OSV-2099-77')
    expect(f.message).not.toContain('GHSA-wwww')
    expect(f.severity).toBe('critical')
    expect(f.message).toContain('CVSS v3 base 9.1')
    expect(f.remediation).toEqual({ summary: 'update to 2.4.2 or later', fixedVersion: '2.4.2' })
  })

  it('names the fix on the installed branch', () => {
    const at = (version: string) =>
      run(component({ name: 'Web_Frame', version, ecosystem: 'pypi' }))[0]?.remediation
        ?.fixedVersion
    expect(at('3.2.5')).toBe('3.2.19')
    expect(at('4.1.3')).toBe('4.1.9')
    expect(at('4.2b1')).toBe('4.2.1')
    expect(at('4.1.9')).toBeUndefined()
    expect(at('3.1')).toBeUndefined()
  })

  it('matches Debian by source package and release; fixed backports are clean', () => {
    const deb = (version: string, meta: Record<string, unknown> = {}) =>
      component({
        name: 'libexample1',
        version,
        ecosystem: 'deb',
        purl: `pkg:deb/debian/libexample1@${version}`,
        metadata: { source: 'libexample', ...meta },
      })
    expect(run(deb('1.2-3+deb12u1'))).toEqual([])
    const [f] = run(deb('1.2-3', { distroRelease: '12' }))
    expect(f?.remediation?.fixedVersion).toBe('1.2-3+deb12u1')
    expect(f?.severity).toBe('medium')
  })

  it('matches RPM packages by distribution (purl namespace) and full EVR', () => {
    const rpm = (evr: string, epochless: string) =>
      component({
        name: 'openssl-libs',
        version: evr,
        ecosystem: 'rpm',
        purl: `pkg:rpm/redhat/openssl-libs@${epochless}?arch=x86_64&epoch=1`,
      })
    const [f] = run(rpm('1:3.0.7-24.el9', '3.0.7-24.el9'))
    expect(f).toMatchObject({ severity: 'high', remediation: { fixedVersion: '1:3.0.7-25.el9_3' } })
    expect(run(rpm('1:3.0.7-27.el9', '3.0.7-27.el9'))).toEqual([])
  })

  it('filters by distribution release the way OSV names releases', () => {
    const apk = (release: string) =>
      component({
        name: 'busyish',
        version: '1.36.1-r15',
        ecosystem: 'apk',
        purl: 'pkg:apk/alpine/busyish@1.36.1-r15',
        metadata: { distroRelease: release },
      })
    expect(run(apk('3.19.1'))).toHaveLength(1)
    expect(run(apk('3.18.4'))).toEqual([])
    expect(osvRelease('Red Hat:enterprise_linux:9::baseos')).toBe('9')
    expect(osvRelease('Ubuntu:22.04:LTS')).toBe('22.04')
    expect(osvRelease('openSUSE:Leap 15.5')).toBeUndefined()
    expect(sameRelease('9.3', '9')).toBe(true)
  })

  it('handles last_affected (no fix known) and limit events', () => {
    const apk = (version: string) =>
      component({
        name: 'busyish',
        version,
        ecosystem: 'apk',
        purl: `pkg:apk/alpine/busyish@${version}`,
      })
    expect(run(apk('1.36.1-r15'))).toHaveLength(1)
    expect(run(apk('1.36.1-r16'))).toEqual([])
    expect(run(apk('1.36.1-r15'))[0]?.remediation?.summary).toMatch(/no fixed version/)
    const go = (version: string) =>
      component({ name: 'example.com/mod', version, ecosystem: 'golang' })
    expect(run(go('v1.4.0'))).toHaveLength(1)
    expect(run(go('v1.5.0'))).toEqual([])
  })

  it('matches Maven by group:artifact from the purl and computes scope-changed CVSS', () => {
    const c = component({
      name: 'core-lib',
      version: '2.14.1',
      ecosystem: 'maven',
      purl: 'pkg:maven/org.example/core-lib@2.14.1',
    })
    const [f] = run(c)
    expect(f?.severity).toBe('critical')
    expect(f?.message).toContain('CVSS v3 base 10')
    expect(run({ ...c, version: '2.15.0', purl: 'pkg:maven/org.example/core-lib@2.15.0' })).toEqual(
      [],
    )
  })

  it('gives stable, sorted output', () => {
    const cs = [
      threeCx('18.12.407'),
      component({ name: 'evil-helper', version: '1.0.0', ecosystem: 'npm' }),
    ]
    expect(run(...cs)).toEqual(run(...cs.reverse()))
  })
})
