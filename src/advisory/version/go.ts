import semver from 'semver'
import { compareDotted } from './dotted.js'
import { memoParse } from './memo.js'

/**
 * Go module ordering: SemVer with a `v` prefix. Pseudo-versions
 * (`v0.0.0-20230101000000-abcdef123456`, `v1.2.4-0.2023…`) are pre-releases and order by their
 * timestamp; `+incompatible` is build metadata and does not count. Go's shorthand `v1` / `v1.2`
 * means `v1.0.0` / `v1.2.0`.
 */
export const parseGo = memoParse(parseGoUncached)

function parseGoUncached(v: string): semver.SemVer | null {
  let s = v.trim().replace(/^v/, '')
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s)
  if (m && (m[2] === undefined || m[3] === undefined) && !/^[-+]/.test(m[4] ?? '') && m[4]) {
    return null
  }
  if (m && (m[2] === undefined || m[3] === undefined)) {
    s = `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}${m[4] ?? ''}`
  }
  return semver.parse(s)
}

export function compareGo(a: string, b: string): number {
  const x = parseGo(a)
  const y = parseGo(b)
  if (x && y) return semver.compare(x, y)
  return compareDotted(a, b)
}
