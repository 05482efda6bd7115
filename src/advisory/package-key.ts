import type { PackageURL } from 'packageurl-js'
import type { Component } from '../core/types.js'
import { parsePurl } from '../inventory/purl.js'

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

/** What the per-ecosystem rules below read of a component. */
interface Facts {
  c: Component
  meta: Record<string, unknown>
  purl: PackageURL | undefined
  ns: string
  /** `namespace/name` from the purl (scoped npm, Go module paths, Packagist). */
  purlName: string | undefined
}

type Rule = (f: Facts) => [ecosystem: string, name: string, version?: string] | undefined

const RULES: Record<string, Rule> = {
  npm: (f) => ['npm', f.purlName ?? f.c.name],
  pypi: (f) => ['PyPI', f.purl?.name ?? f.c.name],
  deb: (f) => {
    const distro = (str(f.meta.distro) ?? (f.ns || 'debian')).toLowerCase()
    const source = str(f.meta.source) ?? str(f.purl?.qualifiers?.upstream) ?? f.c.name
    return [distro === 'ubuntu' ? 'Ubuntu' : 'Debian', source, str(f.meta.sourceVersion)]
  },
  apk: (f) => ['Alpine', str(f.meta.origin) ?? str(f.purl?.qualifiers?.upstream) ?? f.c.name],
  rpm: (f) => {
    const distro = RPM_DISTROS[(str(f.meta.distro) ?? f.ns).toLowerCase()]
    return distro ? [distro, f.purl?.name ?? f.c.name, rpmEvr(f.c, f.meta)] : undefined
  },
  maven: (f) => {
    const group = str(f.meta.groupId) ?? f.ns
    return ['Maven', group && f.purl ? `${group}:${f.purl.name}` : f.c.name]
  },
  golang: (f) => ['Go', f.purlName ?? f.c.name],
  go: (f) => ['Go', f.purlName ?? f.c.name],
  cargo: (f) => ['crates.io', f.purl?.name ?? f.c.name],
  gem: (f) => ['RubyGems', f.purl?.name ?? f.c.name],
  nuget: (f) => ['NuGet', f.purl?.name ?? f.c.name],
  composer: (f) => ['Packagist', f.purlName ?? f.c.name],
}

/**
 * The OSV (ecosystem, name, version) triples a component answers to. Distribution packages
 * are matched by their source package (Debian `Source:`, Alpine origin), as the distributions'
 * OSV feeds name them; vendor products by `Vendor` + `vendor/product`. Components of other
 * ecosystems (SBOM inputs) are read by their purl type.
 */
export function packageRefs(c: Component, purl = parsePurl(c.purl)): PackageRef[] {
  const out: PackageRef[] = []
  if (c.vendor && c.product && c.version) {
    out.push({ ecosystem: 'Vendor', name: `${c.vendor}/${c.product}`, version: c.version })
  }
  const ns = purl?.namespace ?? ''
  const kind = KNOWN_KINDS.has(c.ecosystem) ? c.ecosystem : (purl?.type ?? c.ecosystem)
  const rule = Object.hasOwn(RULES, kind) ? RULES[kind] : undefined
  const facts: Facts = {
    c,
    meta: c.metadata ?? {},
    purl,
    ns,
    purlName: purl ? (ns ? `${ns}/${purl.name}` : purl.name) : undefined,
  }
  const ref = rule?.(facts)
  const version = ref?.[2] ?? c.version
  if (ref?.[1] && version) out.push({ ecosystem: ref[0], name: ref[1], version })
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
