import { PackageURL } from 'packageurl-js'

export interface PurlParts {
  type: string
  namespace?: string | undefined
  name: string
  version?: string | undefined
  qualifiers?: Record<string, string | undefined> | undefined
  subpath?: string | undefined
}

/**
 * A package URL built with packageurl-js (which applies each type's normalisation, e.g. PyPI
 * names lowercased with `-`). Parts that packageurl-js rejects fall back to a `generic` purl of the
 * same name and version, so a component always has one.
 */
export function purlOf(p: PurlParts): string {
  const qualifiers = cleanQualifiers(p.qualifiers)
  try {
    return new PackageURL(
      p.type,
      p.namespace || undefined,
      p.name,
      p.version || undefined,
      qualifiers,
      p.subpath || undefined,
    ).toString()
  } catch {
    return genericPurl(p)
  }
}

function genericPurl(p: PurlParts): string {
  const name = p.namespace ? `${p.namespace}/${p.name}` : p.name
  const enc = encodeURIComponent
  const version = p.version ? `@${enc(p.version)}` : ''
  return `pkg:generic/${enc(name || 'unknown')}${version}`
}

function cleanQualifiers(
  q: Record<string, string | undefined> | undefined,
): Record<string, string> | undefined {
  if (!q) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) if (v) out[k] = v
  return Object.keys(out).length > 0 ? out : undefined
}

/** Parses a purl string; `undefined` when it is not a valid purl. */
export function parsePurl(s: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(s)
  } catch {
    return undefined
  }
}
