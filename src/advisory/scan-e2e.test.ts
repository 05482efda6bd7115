import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadIntel } from '../intel/load.js'
import { scan } from '../scan/scan.js'
import { advisoryDetector } from './detector.js'

const FIXTURES = join(import.meta.dirname, '../inventory/windows/testdata')
const { intel } = await loadIntel({ bundled: true })

async function advisoryFindings(dir: string) {
  const report = await scan({ paths: [join(FIXTURES, dir)], intel, detectors: [advisoryDetector] })
  return report.findings.filter((f) => f.layer === 'advisory')
}

describe('scan → Windows-app cataloger → advisory matching (bundled pack)', () => {
  it('finds the 3CX 18.12.416 look-alike as a known-compromised release', async () => {
    const found = await advisoryFindings('3cx-18.12.416')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({
      severity: 'critical',
      component: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
      locations: [{ path: '3CXDesktopApp.exe' }, { path: 'resources/app.asar!/package.json' }],
      remediation: { summary: 'update to 18.12.425 or later', fixedVersion: '18.12.425' },
    })
    expect(found[0]!.message).toContain('known-compromised release')
  })

  it('leaves the 18.12.425 twin clean', async () => {
    expect(await advisoryFindings('3cx-18.12.425')).toEqual([])
  })
})
