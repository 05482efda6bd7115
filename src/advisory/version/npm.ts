import semver from 'semver'
import { compareDotted } from './dotted.js'
import { memoParse } from './memo.js'

const parse = memoParse((v: string) => semver.parse(v.trim(), { loose: true }))

/**
 * npm (and crates.io) ordering: SemVer 2.0 precedence as the `semver` package implements it
 * (loose parsing, build metadata ignored). Strings that are not SemVer fall back to dotted-numeric.
 */
export function compareSemver(a: string, b: string): number {
  const x = parse(a)
  const y = parse(b)
  if (x && y) return semver.compare(x, y)
  return compareDotted(a, b)
}

export function isSemver(v: string): boolean {
  return parse(v) !== null
}
