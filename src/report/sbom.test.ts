import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { matchAdvisories } from '../advisory/detector.js'
import { sampleAdvisories, threeCx } from '../advisory/testing.js'
import type { Component } from '../core/types.js'
import { cyclonedxReport, type SbomInput } from './cyclonedx.js'
import { spdxReport } from './spdx.js'

const components: Component[] = [
  threeCx('18.12.416'),
  {
    name: 'left-pad-ish',
    version: '2.1.0',
    ecosystem: 'npm',
    purl: 'pkg:npm/left-pad-ish@2.1.0',
    locations: ['app/node_modules/left-pad-ish/package.json'],
    foundBy: 'npm-node-modules',
  },
  {
    name: 'left-pad-ish',
    version: '2.1.0',
    ecosystem: 'npm',
    purl: 'pkg:npm/left-pad-ish@2.1.0',
    locations: ['other/node_modules/left-pad-ish/package.json'],
    foundBy: 'npm-node-modules',
  },
  {
    name: 'libssl3',
    version: '3.0.11-1~deb12u2',
    ecosystem: 'deb',
    purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl',
    locations: ['var/lib/dpkg/status'],
    foundBy: 'dpkg-status',
  },
]

const input: SbomInput = {
  components,
  tool: { name: 'vigil', version: '0.1.0', intel: [] },
  targets: [{ path: 'host', kind: 'dir' }],
  createdAt: '2026-01-02T03:04:05.678Z',
}

const cycloneDxValidator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)

async function validateCycloneDx(text: string) {
  return cycloneDxValidator.validate(text)
}

describe('cyclonedxReport', () => {
  it('is valid CycloneDX 1.6 per the library’s strict JSON validator', async () => {
    const text = cyclonedxReport(input)
    expect(await validateCycloneDx(text)).toBeNull()
    const bom = JSON.parse(text)
    expect(bom.specVersion).toBe('1.6')
    expect(bom.components).toHaveLength(3)
    const pad = bom.components.find((c: { name: string }) => c.name === 'left-pad-ish')
    expect(
      pad.properties.filter((p: { name: string }) => p.name === 'vigil:location'),
    ).toHaveLength(2)
    expect(bom.vulnerabilities ?? []).toEqual([])
  })

  it('adds advisory findings as VEX vulnerabilities that still validate', async () => {
    const findings = matchAdvisories(components, sampleAdvisories())
    expect(findings.length).toBe(2)
    const text = cyclonedxReport({ ...input, findings })
    expect(await validateCycloneDx(text)).toBeNull()
    const bom = JSON.parse(text)
    const v = bom.vulnerabilities.find((x: { id: string }) => x.id === 'CVE-2023-29059')
    expect(v).toMatchObject({
      recommendation: 'update to 18.12.425 or later',
      affects: [
        {
          ref: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
          versions: [{ version: '18.12.416', status: 'affected' }],
        },
      ],
      analysis: { state: 'exploitable', response: ['update'] },
      ratings: [{ severity: 'critical' }],
    })
    expect(v.references.map((r: { id: string }) => r.id)).toEqual(['VIGIL-2023-3CX-WIN'])
    const pad = bom.vulnerabilities.filter((x: { id: string }) => x.id === 'CVE-2099-1000')
    expect(pad).toHaveLength(1)
    expect(pad[0].affects).toEqual([
      { ref: 'pkg:npm/left-pad-ish@2.1.0', versions: [{ version: '2.1.0', status: 'affected' }] },
    ])
  })

  it('is deterministic', () => {
    expect(cyclonedxReport(input)).toBe(
      cyclonedxReport({ ...input, components: [...components].reverse() }),
    )
  })

  it('merges one purl found by two catalogers, whatever the input order', () => {
    const electron: Component = {
      ...threeCx('18.12.416'),
      ecosystem: 'electron',
      foundBy: 'electron-app',
      locations: ['resources/app.asar!/package.json'],
    }
    const a = cyclonedxReport({ ...input, components: [electron, ...components] })
    const b = cyclonedxReport({ ...input, components: [...components, electron].reverse() })
    expect(a).toBe(b)
    const app = JSON.parse(a).components.find((c: { name: string }) => c.name === '3CX Desktop App')
    const props = (n: string) =>
      app.properties
        .filter((p: { name: string }) => p.name === n)
        .map((p: { value: string }) => p.value)
    expect(props('vigil:foundBy')).toEqual(['electron-app', 'windows-app'])
    expect(props('vigil:location')).toHaveLength(2)
    expect(app.type).toBe('application')
  })

  it('notices an invalid document (the validator is real)', async () => {
    const bom = JSON.parse(cyclonedxReport(input))
    bom.components[0].type = 'not-a-type'
    expect(await validateCycloneDx(JSON.stringify(bom))).not.toBeNull()
  })
})

describe('spdxReport', () => {
  const schema = JSON.parse(
    readFileSync(
      join(import.meta.dirname, '../../schema/third-party/spdx-2.3.schema.json'),
      'utf8',
    ),
  )
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)

  it('validates against the SPDX 2.3 JSON schema', () => {
    const doc = JSON.parse(spdxReport(input))
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
    expect(doc.packages).toHaveLength(3)
    expect(doc.creationInfo.created).toBe('2026-01-02T03:04:05Z')
    for (const p of doc.packages) expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/)
    expect(doc.relationships).toHaveLength(3)
  })

  it('rejects what the schema rejects (the schema is real)', () => {
    const doc = JSON.parse(spdxReport(input))
    doc.packages[0].primaryPackagePurpose = 'GADGET'
    expect(validate(doc)).toBe(false)
    delete doc.packages[0].downloadLocation
    doc.packages[0].primaryPackagePurpose = 'LIBRARY'
    expect(validate(doc)).toBe(false)
  })
})
