import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../cli/main.js'

const FIXTURES = join(import.meta.dirname, '../inventory/windows/testdata')
const tempDirs: string[] = []
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

async function scanToCycloneDx(dir: string): Promise<{ rc: number; text: string }> {
  const file = join(tempDir('vigil-vex-'), 'bom.json')
  const rc = await main([
    'scan',
    join(FIXTURES, dir),
    '--format',
    'cyclonedx',
    '--output',
    file,
    '--quiet',
    '--no-cache',
  ])
  return { rc, text: readFileSync(file, 'utf8') }
}

describe('vigil scan --format cyclonedx (SBOM + VEX)', () => {
  it('3CX 18.12.416: exit 1, a valid BOM whose VEX names the release and the version to update to', async () => {
    const { rc, text } = await scanToCycloneDx('3cx-18.12.416')
    expect(rc).toBe(1)
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull()
    const bom = JSON.parse(text)
    expect(bom.vulnerabilities).toHaveLength(1)
    expect(bom.vulnerabilities[0]).toMatchObject({
      id: 'CVE-2023-29059',
      recommendation: 'update to 18.12.425 or later',
      ratings: [{ severity: 'critical' }],
      affects: [{ ref: 'pkg:generic/3cx/3cx-desktop-app@18.12.416' }],
    })
  })

  it('3CX 18.12.425: exit 0 and no vulnerabilities', async () => {
    const { rc, text } = await scanToCycloneDx('3cx-18.12.425')
    expect(rc).toBe(0)
    const bom = JSON.parse(text)
    expect(bom.vulnerabilities ?? []).toEqual([])
    expect(bom.components.map((c: { purl: string }) => c.purl)).toContain(
      'pkg:generic/3cx/3cx-desktop-app@18.12.425',
    )
  })

  it('round trip: vigil sbom output, scanned as an SBOM input, gets the same advisory finding', async () => {
    const dir = tempDir('vigil-rt-')
    const sbom = join(dir, 'host.cdx.json')
    const report = join(dir, 'report.json')
    expect(await main(['sbom', join(FIXTURES, '3cx-18.12.416'), '-o', sbom, '--quiet'])).toBe(0)
    const rc = await main(['scan', sbom, '--format', 'json', '-o', report, '--quiet', '--no-cache'])
    expect(rc).toBe(1)
    const findings = JSON.parse(readFileSync(report, 'utf8')).findings
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'advisory/CVE-2023-29059',
      component: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
      remediation: { fixedVersion: '18.12.425' },
    })
  })
})
