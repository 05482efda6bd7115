/**
 * SPDX 2.x JSON SBOMs as scan input (`spdxVersion: "SPDX-2.3"`): every package with a
 * `versionInfo`, its purl from `externalRefs` (category PACKAGE-MANAGER / PACKAGE_MANAGER, type
 * purl) when present. Packages the document DESCRIBES get role `subject`. Files whose content is
 * not SPDX JSON yield nothing.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { isSbomName, type SbomEntry, sbomComponent } from './sbom-component.js'

const NAME = 'sbom-spdx'

function purlOfPackage(p: Record<string, unknown>): string | undefined {
  const refs = Array.isArray(p.externalRefs) ? p.externalRefs.filter(isRecord) : []
  const ref = refs.find(
    (r) => /^PACKAGE[-_]MANAGER$/.test(String(r.referenceCategory)) && r.referenceType === 'purl',
  )
  return ref ? str(ref.referenceLocator) : undefined
}

function describedIds(doc: Record<string, unknown>): Set<string> {
  const ids = new Set<string>(
    Array.isArray(doc.documentDescribes)
      ? doc.documentDescribes.filter((x) => typeof x === 'string')
      : [],
  )
  const rels = Array.isArray(doc.relationships) ? doc.relationships.filter(isRecord) : []
  for (const r of rels) {
    if (r.relationshipType === 'DESCRIBES' && typeof r.relatedSpdxElement === 'string')
      ids.add(r.relatedSpdxElement)
  }
  return ids
}

export function parseSpdxJson(text: string, location: string): Component[] {
  if (!text.trimStart().startsWith('{')) return []
  const doc: unknown = JSON.parse(text)
  if (
    !isRecord(doc) ||
    typeof doc.spdxVersion !== 'string' ||
    !doc.spdxVersion.startsWith('SPDX-2')
  )
    return []
  const described = describedIds(doc)
  const out: Component[] = []
  for (const p of Array.isArray(doc.packages) ? doc.packages.filter(isRecord) : []) {
    const name = str(p.name)
    const version = str(p.versionInfo)
    if (!name || !version) continue
    const e: SbomEntry = { name, version }
    const purl = purlOfPackage(p)
    if (purl) e.purl = purl
    const id = str(p.SPDXID)
    if (id) e.ref = id
    if (id && described.has(id)) e.role = 'subject'
    out.push(sbomComponent(e, location, NAME))
  }
  return out
}

export const spdxCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => isSbomName(a.name) && a.name.toLowerCase().endsWith('.json'),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseSpdxJson(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
