import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Component } from '../core/types.js'
import { importOsv } from '../intel/importers/osv.js'
import type { AdvisoryRecord } from '../intel/records.js'

/** The hand-written OSV sample beside the tests, as the intel importer loads it. */
export function sampleAdvisories(): AdvisoryRecord[] {
  const file = join(import.meta.dirname, 'testdata', 'osv-sample.json')
  return importOsv(JSON.parse(readFileSync(file, 'utf8')), file, 'osv-sample')
}

/** A component as a cataloger would emit it. */
export function component(
  p: Partial<Component> & Pick<Component, 'name' | 'version' | 'ecosystem'>,
): Component {
  return {
    purl: `pkg:${p.ecosystem}/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}`,
    locations: [`${p.name}/location`],
    foundBy: 'test',
    ...p,
  }
}

/** The Windows 3CX DesktopApp component the Windows-app cataloger makes of 3CXDesktopApp.exe. */
export function threeCx(version: string, platform = 'windows'): Component {
  return {
    name: '3CX Desktop App',
    version,
    ecosystem: 'windows-app',
    purl: `pkg:generic/3cx/3cx-desktop-app@${version}`,
    locations: ['3CXDesktopApp/3CXDesktopApp.exe'],
    foundBy: 'windows-app',
    vendor: '3cx',
    product: '3cx-desktop-app',
    metadata: { platform, productName: '3CX Desktop App' },
  }
}
