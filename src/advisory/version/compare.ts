import type { Confidence } from '../../core/types.js'
import { compareAlpine } from './alpine.js'
import { compareDebian } from './debian.js'
import { compareDotted } from './dotted.js'
import { compareGo } from './go.js'
import { compareMaven } from './maven.js'
import { compareSemver } from './npm.js'
import { comparePep440 } from './pep440.js'
import { compareRpm } from './rpm.js'

export type Scheme = 'semver' | 'debian' | 'rpm' | 'pep440' | 'maven' | 'go' | 'alpine' | 'dotted'

export type Comparator = (a: string, b: string) => number

export const COMPARATORS: Record<Scheme, Comparator> = {
  semver: compareSemver,
  debian: compareDebian,
  rpm: compareRpm,
  pep440: comparePep440,
  maven: compareMaven,
  go: compareGo,
  alpine: compareAlpine,
  dotted: compareDotted,
}

const RPM_DISTROS = [
  'red hat',
  'rocky linux',
  'almalinux',
  'opensuse',
  'suse',
  'mageia',
  'openeuler',
  'azure linux',
  'mariner',
  'fedora',
  'centos',
  'oracle linux',
  'amazon linux',
]

export interface SchemeChoice {
  scheme: Scheme
  /** `low` when the ecosystem is unknown and dotted-numeric is a guess. */
  confidence: Confidence
  note?: string
}

/**
 * The version scheme of an OSV ecosystem name. OSV ecosystems may carry a release suffix
 * (`Debian:12`, `Alpine:v3.19`, `Red Hat:enterprise_linux:9`); only the part before the first
 * colon counts.
 */
export function schemeFor(ecosystem: string): SchemeChoice {
  const base = ecosystem.split(':')[0]!.trim().toLowerCase()
  switch (base) {
    case 'npm':
    case 'crates.io':
    case 'hex':
    case 'pub':
    case 'nuget':
    case 'swifturl':
    case 'github actions':
      return { scheme: 'semver', confidence: 'high' }
    case 'pypi':
      return { scheme: 'pep440', confidence: 'high' }
    case 'debian':
    case 'ubuntu':
      return { scheme: 'debian', confidence: 'high' }
    case 'alpine':
    case 'wolfi':
    case 'chainguard':
      return { scheme: 'alpine', confidence: 'high' }
    case 'maven':
      return { scheme: 'maven', confidence: 'high' }
    case 'go':
      return { scheme: 'go', confidence: 'high' }
    case 'vendor':
      return { scheme: 'dotted', confidence: 'high' }
  }
  if (RPM_DISTROS.some((d) => base.startsWith(d))) return { scheme: 'rpm', confidence: 'high' }
  return {
    scheme: 'dotted',
    confidence: 'low',
    note: `no version scheme known for ecosystem '${ecosystem}': compared as dotted numbers`,
  }
}

/** Compares two versions of one ecosystem: negative, zero or positive. Never throws. */
export function compareVersions(ecosystem: string, a: string, b: string): number {
  return COMPARATORS[schemeFor(ecosystem).scheme](a, b)
}
