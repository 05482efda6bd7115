import { PackageURL } from 'packageurl-js'
import type { Component } from '../core/types.js'

/**
 * How a component is joined to OSV `affected[].package` entries: by OSV ecosystem (without its
 * release suffix) and name normalised the ecosystem's way, or by package purl
 * (`purl:<type>/<namespace>/<name>`, no version, no qualifiers).
 */

/** PEP 503 normalised name: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** OSV ecosystem base name (before the `:release` suffix), lowercased. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':')
  return (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim().toLowerCase()
}

/** Name as the ecosystem compares it. */
export function normaliseName(ecosystemLower: string, name: string): string {
  if (ecosystemLower === 'pypi') return pep503(name)
  if (ecosystemLower === 'vendor' || ecosystemLower === 'packagist') return name.toLowerCase()
  if (ecosystemLower === 'debian' || ecosystemLower === 'ubuntu' || ecosystemLower === 'alpine') {
    return name.toLowerCase()
  }
  return name
}

export function purlKey(purl: string | PackageURL): string | undefined {
  const p = typeof purl === 'string' ? parsePurl(purl) : purl
  if (!p) return undefined
  const name = p.type === 'pypi' ? pep503(p.name) : p.name
  return `purl:${p.type}/${p.namespace ?? ''}/${name}`
}

/** Component ecosystems the catalogers emit; others (SBOM inputs) are read from the purl type. */
const KNOWN_KINDS = new Set(['npm', 'pypi', 'deb', 'apk', 'rpm', 'maven', 'golang', 'go', 'cargo'])

const RPM_DISTROS: Record<string, string> = {
  redhat: 'Red Hat',
  rhel: 'Red Hat',
  rocky: 'Rocky Linux',
  'rocky-linux': 'Rocky Linux',
  almalinux: 'AlmaLinux',
  opensuse: 'openSUSE',
  suse: 'SUSE',
  fedora: 'Fedora',
  centos: 'CentOS',
  mageia: 'Mageia',
  openeuler: 'openEuler',
  amazon: 'Amazon Linux',
  oracle: 'Oracle Linux',
}

/** An OSV package identity a component may be listed under, with the version to compare. */
export interface PackageRef {
  ecosystem: string
  name: string
  version: string
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined
}

export function parsePurl(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl)
  } catch {
    return undefined
  }
}

/**
 * The OSV (ecosystem, name, version) triples a component answers to. Distribution packages
 * are matched by their source package (Debian `Source:`, Alpine origin), as the distributions'
 * OSV feeds name them; vendor products by `Vendor` + `vendor/product`.
 */
export function packageRefs(c: Component, purl = parsePurl(c.purl)): PackageRef[] {
  const out: PackageRef[] = []
  const meta = c.metadata ?? {}
  const ns = purl?.namespace ?? ''
  const add = (ecosystem: string, name: string | undefined, version = c.version) => {
    if (name && version) out.push({ ecosystem, name, version })
  }
  if (c.vendor && c.product) add('Vendor', `${c.vendor}/${c.product}`)
  const kind = KNOWN_KINDS.has(c.ecosystem) ? c.ecosystem : (purl?.type ?? c.ecosystem)
  const purlName = purl ? (ns ? `${ns}/${purl.name}` : purl.name) : undefined
  switch (kind) {
    case 'npm':
      add('npm', purlName ?? c.name)
      break
    case 'pypi':
      add('PyPI', purl?.name ?? c.name)
      break
    case 'deb': {
      const distro = (str(meta.distro) ?? (ns || 'debian')).toLowerCase()
      const eco = distro === 'ubuntu' ? 'Ubuntu' : 'Debian'
      const source = str(meta.source) ?? str(purl?.qualifiers?.upstream) ?? c.name
      add(eco, source, str(meta.sourceVersion) ?? c.version)
      break
    }
    case 'apk':
      add('Alpine', str(meta.origin) ?? str(purl?.qualifiers?.upstream) ?? c.name)
      break
    case 'rpm': {
      const distro = RPM_DISTROS[(str(meta.distro) ?? ns).toLowerCase()]
      if (distro) add(distro, purl?.name ?? c.name, rpmEvr(c, meta))
      break
    }
    case 'maven': {
      const group = str(meta.groupId) ?? ns
      add('Maven', group && purl ? `${group}:${purl.name}` : c.name)
      break
    }
    case 'golang':
    case 'go':
      add('Go', purlName ?? c.name)
      break
    case 'cargo':
      add('crates.io', purl?.name ?? c.name)
      break
    case 'gem':
      add('RubyGems', purl?.name ?? c.name)
      break
    case 'nuget':
      add('NuGet', purl?.name ?? c.name)
      break
    case 'composer':
      add('Packagist', purlName ?? c.name)
      break
  }
  return out
}

function rpmEvr(c: Component, meta: Record<string, unknown>): string {
  const epoch = meta.epoch
  if (
    (typeof epoch === 'number' || typeof epoch === 'string') &&
    `${epoch}` !== '' &&
    !c.version.includes(':')
  ) {
    return `${epoch}:${c.version}`
  }
  return c.version
}
