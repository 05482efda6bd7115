import { createHash } from 'node:crypto'
import type { Component } from '../core/types.js'
import { type SbomComponent, type SbomInput, uniqueByPurl } from './cyclonedx.js'

/**
 * SPDX 2.3 JSON: one package per distinct purl with a `purl` PACKAGE-MANAGER external reference,
 * the document DESCRIBES every package. Deterministic: the namespace is derived from the content
 * and the creation time comes from the report.
 */

const PURPOSE: Record<string, string> = {
  'windows-app': 'APPLICATION',
  'macos-app': 'APPLICATION',
  electron: 'APPLICATION',
}

/** SPDX ids allow letters, digits, `.` and `-` only. */
function spdxId(i: number, c: Component): string {
  const safe = `${c.name}-${c.version}`.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 80)
  return `SPDXRef-Package-${i + 1}-${safe}`
}

/** SPDX wants UTC without fractions: 2026-01-02T03:04:05Z. */
function created(iso: string | undefined): string {
  const d = iso ? new Date(iso) : new Date(0)
  return (Number.isNaN(d.getTime()) ? new Date(0) : d).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function packageOf(c: SbomComponent, i: number) {
  const supplier = c.metadata?.companyName ?? c.metadata?.company
  return {
    SPDXID: spdxId(i, c),
    name: c.name,
    versionInfo: c.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    supplier:
      typeof supplier === 'string' && supplier ? `Organization: ${supplier}` : 'NOASSERTION',
    primaryPackagePurpose: c.ecosystems.map((e) => PURPOSE[e]).find(Boolean) ?? 'LIBRARY',
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl },
    ],
    sourceInfo: `found by ${c.catalogers.join(', ')} at ${c.locations.join(', ')}`,
  }
}

export function spdxDocument(input: SbomInput): Record<string, unknown> {
  const components = uniqueByPurl(input.components)
  const packages = components.map(packageOf)
  const name = input.targets.map((t) => t.path).join(', ') || 'vigil-sbom'
  const digest = createHash('sha256')
  for (const c of components) digest.update(`${c.purl}\0${c.locations.join('\0')}\n`)
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://spdx.org/spdxdocs/vigil-${digest.digest('hex').slice(0, 32)}`,
    creationInfo: {
      created: created(input.createdAt),
      creators: [`Tool: ${input.tool.name}-${input.tool.version}`],
    },
    packages,
    relationships: packages.map((p) => ({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: p.SPDXID,
    })),
  }
}

export function spdxReport(input: SbomInput): string {
  return `${JSON.stringify(spdxDocument(input), null, 2)}\n`
}
