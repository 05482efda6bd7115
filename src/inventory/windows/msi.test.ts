import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memArtifact, runCatalogers } from '../testing.js'
import { parseCfb } from './cfb.js'
import { decodeStreamName, msiProperties, windowsMsiCataloger } from './msi.js'

const dir = join(import.meta.dirname, 'testdata/msi')
const fixtures = ['3CXDesktopApp-18.12.416.msi', '3CXDesktopApp-18.12.425.msi']
const hasMsiinfo = existsSync('/usr/bin/msiinfo')

describe('MSI installers', () => {
  it('the 3CX look-alike installer is the vendor product it installs', async () => {
    const a = memArtifact(`dl/${fixtures[0]}`, readFileSync(join(dir, fixtures[0]!)))
    const { components, problems } = await runCatalogers([windowsMsiCataloger], [a])
    expect(problems).toEqual([])
    expect(components).toEqual([
      {
        name: '3CX Desktop App',
        version: '18.12.416',
        ecosystem: 'windows-app',
        purl: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
        locations: ['dl/3CXDesktopApp-18.12.416.msi'],
        foundBy: 'windows-msi',
        vendor: '3cx',
        product: '3cx-desktop-app',
        metadata: {
          platform: 'windows',
          installer: 'msi',
          manufacturer: '3CX Ltd',
          productVersion: '18.12.416',
          productCode: '{6A4F5C1E-2B3D-4E5F-8A9B-0C1D2E3F4A5B}',
          upgradeCode: '{1B2C3D4E-5F60-4718-8293-A4B5C6D7E8F9}',
        },
      },
    ])
  })

  it('decodes MSI stream names', () => {
    const names = parseCfb(readFileSync(join(dir, fixtures[0]!))).entries.map((e) =>
      decodeStreamName(e.name),
    )
    expect(names).toEqual(expect.arrayContaining(['!_StringPool', '!_StringData', '!Property']))
  })

  /** Agreement with msitools' `msiinfo export FILE Property` (a reader no one here wrote). */
  it.skipIf(!hasMsiinfo).each(fixtures)('agrees with msiinfo export on %s', (file) => {
    const path = join(dir, file)
    const out = execFileSync('msiinfo', ['export', path, 'Property'], { encoding: 'utf8' })
    const expected = Object.fromEntries(
      out
        .split(/\r?\n/)
        .slice(3)
        .filter((l) => l.includes('\t'))
        .map((l) => l.split('\t') as [string, string]),
    )
    const { properties, anomalies } = msiProperties(readFileSync(path))
    expect(anomalies).toEqual([])
    expect(Object.keys(expected).length).toBeGreaterThan(5)
    expect(Object.fromEntries(properties)).toEqual(expected)
  })

  it('a file that is not a compound file, or a truncated one, yields nothing', async () => {
    const msi = readFileSync(join(dir, fixtures[1]!))
    const { components } = await runCatalogers(
      [windowsMsiCataloger],
      [memArtifact('a.msi', 'not an msi'), memArtifact('b.msi', msi.subarray(0, 2048))],
    )
    expect(components).toEqual([])
  })
})
