import { describe, expect, it } from 'vitest'
import type { Component } from '../core/types.js'
import { loadIntel } from '../intel/load.js'
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
