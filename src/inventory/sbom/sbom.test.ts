import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../core/types.js'
import { cyclonedxReport } from '../../report/cyclonedx.js'
import { spdxReport } from '../../report/spdx.js'
import { memArtifact, runCatalogers } from '../testing.js'
import { cycloneDxCataloger } from './cyclonedx.js'
import { isSbomName } from './sbom-component.js'
import { spdxCataloger } from './spdx.js'

const testdata = join(import.meta.dirname, 'testdata')
const fixture = (f: string) => memArtifact(`sboms/${f}`, readFileSync(join(testdata, f)))
const rows = (cs: Component[]) => cs.map((c) => `${c.ecosystem} ${c.purl}`)

describe('CycloneDX input', () => {
  it('the JSON fixture is valid CycloneDX 1.5 per the reference library', async () => {
    const text = readFileSync(join(testdata, 'app.cdx.json'), 'utf8')
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot5).validate(text)).toBeNull()
  })

  it('JSON: subject, nested components, vendor identity from a generic purl', async () => {
    const { components, problems } = await runCatalogers(
      [cycloneDxCataloger],
      [fixture('app.cdx.json')],
    )
    expect(problems).toEqual([])
    expect(rows(components)).toEqual([
      'generic pkg:generic/3cx/3cx-desktop-app@18.12.416',
      'generic pkg:generic/acme-corp/internal-lib@0.9.0',
      'maven pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1',
      'maven pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'npm pkg:npm/electron@19.1.9',
    ])
    expect(components[0]).toMatchObject({
      vendor: '3cx',
      product: '3cx-desktop-app',
      foundBy: 'sbom-cyclonedx',
      locations: ['sboms/app.cdx.json'],
      metadata: { role: 'subject' },
    })
  })

  it('XML', async () => {
    const { components } = await runCatalogers([cycloneDxCataloger], [fixture('bom.xml')])
    expect(rows(components)).toEqual([
      'deb pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64',
      'deb pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64',
      'generic pkg:generic/webapp@1.0',
      'pypi pkg:pypi/requests@2.31.0',
    ])
  })

  it('decodes character references in XML text', async () => {
    const xml =
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library"><name>epoll</name><version>4.1.115.Final</version><purl>pkg:maven/io.netty/epoll@4.1.115.Final?classifier=linux-x86_64&amp;type=jar</purl></component></components></bom>'
    const { components } = await runCatalogers([cycloneDxCataloger], [memArtifact('bom.xml', xml)])
    expect(components[0]?.purl).toBe(
      'pkg:maven/io.netty/epoll@4.1.115.Final?classifier=linux-x86_64&type=jar',
    )
  })

  it('reads back what vigil sbom writes', async () => {
    const input: Component[] = [
      {
        name: '3CX Desktop App',
        version: '18.12.416',
        ecosystem: 'windows-app',
        purl: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
        locations: ['a/3CXDesktopApp.exe'],
        foundBy: 'windows-app',
        vendor: '3cx',
        product: '3cx-desktop-app',
      },
      {
        name: 'left-pad',
        version: '1.3.0',
        ecosystem: 'npm',
        purl: 'pkg:npm/left-pad@1.3.0',
        locations: ['node_modules/left-pad/package.json'],
        foundBy: 'npm-node-modules',
      },
    ]
    const sbom = {
      components: input,
      tool: { name: 'vigil' as const, version: '0.1.0', intel: [] },
      targets: [{ path: 'x', kind: 'dir' as const }],
    }
    for (const [file, text, cataloger] of [
      ['out.cdx.json', cyclonedxReport(sbom), cycloneDxCataloger],
      ['out.spdx.json', spdxReport(sbom), spdxCataloger],
    ] as const) {
      const { components } = await runCatalogers([cataloger], [memArtifact(file, text)])
      expect(components.map((c) => c.purl)).toEqual(
        expect.arrayContaining(input.map((c) => c.purl)),
      )
      expect(components.find((c) => c.vendor === '3cx')?.product).toBe('3cx-desktop-app')
    }
  })

  it('a JSON file that is not CycloneDX yields nothing; broken XML does not throw out of the scan', async () => {
    const { components, problems } = await runCatalogers(
      [cycloneDxCataloger],
      [
        memArtifact('bom.json', '{"name":"x"}'),
        memArtifact(
          'bom.xml',
          '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component>',
        ),
      ],
    )
    expect(components).toEqual([])
    expect(problems.length).toBeLessThanOrEqual(1)
  })
})

describe('SPDX input', () => {
  it('packages with versions, purls from externalRefs, the described package as subject', async () => {
    const { components } = await runCatalogers([spdxCataloger], [fixture('app.spdx.json')])
    expect(rows(components)).toEqual([
      'generic pkg:generic/webapp@1.0',
      'golang pkg:golang/golang.org/x/net@v0.7.0',
      'npm pkg:npm/lodash@4.17.20',
    ])
    expect(components[0]?.metadata).toMatchObject({
      role: 'subject',
      ref: 'SPDXRef-Package-webapp',
    })
  })

  it('file names', () => {
    for (const n of [
      'bom.json',
      'bom.xml',
      'app.cdx.json',
      'x.spdx.json',
      'sbom.json',
      'my-sbom.cyclonedx.json',
    ])
      expect(isSbomName(n)).toBe(true)
    for (const n of ['package.json', 'tsconfig.json', 'bomb.json', 'pom.xml'])
      expect(isSbomName(n)).toBe(false)
  })
})
