import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { Ajv } from 'ajv'
import { afterAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../core/errors.js'
import { runSbom } from './sbom.js'

const FIXTURES = join(import.meta.dirname, '../../inventory')
const tempDirs: string[] = []
const out = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sbom-'))
  tempDirs.push(dir)
  return join(dir, name)
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

describe('vigil sbom', () => {
  it('writes CycloneDX 1.6 that the library validates, with the 3CX look-alike in it', async () => {
    const file = out('bom.json')
    const dir = join(FIXTURES, 'windows/testdata')
    expect(await runSbom([dir, '--output', file, '--quiet'])).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull()
    const bom = JSON.parse(text)
    const purls = bom.components.map((c: { purl: string }) => c.purl)
    expect(purls).toContain('pkg:generic/3cx/3cx-desktop-app@18.12.416')
    expect(purls).toContain('pkg:generic/3cx/3cx-desktop-app@18.12.425')
    expect(bom.vulnerabilities ?? []).toEqual([])
  })

  it('writes SPDX 2.3 that the schema validates, over OS package databases', async () => {
    const file = out('spdx.json')
    expect(
      await runSbom([join(FIXTURES, 'dpkg/testdata'), '--format', 'spdx', '-o', file, '--quiet']),
    ).toBe(0)
    const doc = JSON.parse(readFileSync(file, 'utf8'))
    const schema = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../../schema/third-party/spdx-2.3.schema.json'),
        'utf8',
      ),
    )
    const validate = new Ajv({ strict: false }).compile(schema)
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
    expect(doc.packages.length).toBeGreaterThan(3)
  })

  it('refuses unknown formats and missing paths as usage errors', async () => {
    await expect(runSbom(['.', '--format', 'xml'])).rejects.toThrow(UsageError)
    await expect(runSbom(['/no/such/dir'])).rejects.toThrow(UsageError)
    await expect(runSbom([])).rejects.toThrow(UsageError)
  })
})
