import type { Component } from '../../core/types.js'
import { slug } from '../identity.js'
import { parsePurl, purlOf } from '../purl.js'

/** Component ecosystems by purl type, where the name differs or matters. */
const ECOSYSTEM_OF_TYPE: Record<string, string> = {
  npm: 'npm',
  pypi: 'pypi',
  maven: 'maven',
  golang: 'golang',
  cargo: 'cargo',
  deb: 'deb',
  rpm: 'rpm',
  apk: 'apk',
  gem: 'gem',
  nuget: 'nuget',
  composer: 'composer',
  generic: 'generic',
}

export interface SbomEntry {
  name: string
  version: string
  group?: string
  purl?: string
  ref?: string
  role?: 'subject'
  type?: string
}

/**
 * A component from an SBOM entry: its purl when valid (name and version as the SBOM gives them),
 * else a generic purl. A `pkg:generic/VENDOR/PRODUCT` purl carries a vendor identity.
 */
export function sbomComponent(e: SbomEntry, location: string, foundBy: string): Component {
  const parsed = e.purl ? parsePurl(e.purl) : undefined
  const meta: Record<string, unknown> = {}
  if (e.ref) meta.ref = e.ref
  if (e.role) meta.role = e.role
  if (e.type) meta.type = e.type
  const name = e.group && !parsed ? `${e.group}/${e.name}` : e.name
  const c: Component = {
    name,
    version: e.version,
    ecosystem: parsed ? (ECOSYSTEM_OF_TYPE[parsed.type] ?? parsed.type) : 'generic',
    purl: parsed
      ? parsed.toString()
      : purlOf({
          type: 'generic',
          namespace: e.group ? slug(e.group) : undefined,
          name: e.name,
          version: e.version,
        }),
    locations: [location],
    foundBy,
  }
  if (parsed?.type === 'generic' && parsed.namespace) {
    c.vendor = parsed.namespace
    c.product = parsed.name
  }
  if (Object.keys(meta).length > 0) c.metadata = meta
  return c
}

/** SBOM file names worth opening: bom.json, x.cdx.json, x.spdx.json, sbom.xml, … */
export function isSbomName(name: string): boolean {
  return /(?:^|[._-])(?:s?bom|cdx|cyclonedx|spdx)(?:[._-].*)?\.(?:json|xml)$/i.test(name)
}
