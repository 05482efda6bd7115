import semver from 'semver'
import { compareDotted } from './dotted.js'

/**
 * npm (and crates.io) ordering: SemVer 2.0 precedence as the `semver` package implements it
 * (loose parsing, build metadata ignored). Strings that are not SemVer fall back to dotted-numeric.
 */
export function compareSemver(a: string, b: string): number {
  const x = semver.parse(a.trim(), { loose: true })
  const y = semver.parse(b.trim(), { loose: true })
  if (x && y) return semver.compare(x, y)
  return compareDotted(a, b)
}

export function isSemver(v: string): boolean {
  return semver.parse(v.trim(), { loose: true }) !== null
}
