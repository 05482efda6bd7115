import type { OsvAffected } from '../intel/records.js'
import type { Comparator } from './version/compare.js'
import { compareDotted } from './version/dotted.js'

export type OsvRange = NonNullable<OsvAffected['ranges']>[number]
export type OsvEvent = OsvRange['events'][number]

/** Why an `affected` entry covers a version: the range (and what closes its interval) or the list. */
export type AffectedHit =
  | {
      via: 'range'
      type: OsvRange['type']
      events: OsvEvent[]
      fixed?: string
      lastAffected?: string
    }
  | { via: 'versions'; version: string }

const sorted = new WeakMap<OsvRange, OsvEvent[]>()

function eventVersion(e: OsvEvent): string | undefined {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit
}

/** Events in version order; `introduced: "0"` is below everything. Cached per range object. */
function sortedEvents(range: OsvRange, cmp: Comparator): OsvEvent[] {
  const hit = sorted.get(range)
  if (hit) return hit
  const events = (Array.isArray(range.events) ? range.events : []).filter(
    (e) => e && typeof eventVersion(e) === 'string' && e.limit === undefined,
  )
  const out = events.sort((a, b) => {
    const x = eventVersion(a)!
    const y = eventVersion(b)!
    if (a.introduced === '0') return b.introduced === '0' ? 0 : -1
    if (b.introduced === '0') return 1
    return cmp(x, y)
  })
  sorted.set(range, out)
  return out
}

/**
 * The OSV evaluation algorithm for one SEMVER/ECOSYSTEM range: walk the sorted events, an
 * `introduced` at or below the version opens, a `fixed` at or below closes, a `last_affected`
 * below closes; `limit` events, when present, bound the range from above.
 */
export function evaluateRange(
  range: OsvRange,
  version: string,
  cmp: Comparator,
): AffectedHit | undefined {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return undefined
  const events = sortedEvents(range, cmp)
  let affected = false
  let openedAt = -1
  events.forEach((e, i) => {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || cmp(version, e.introduced) >= 0) {
        affected = true
        openedAt = i
      }
    } else if (e.fixed !== undefined) {
      if (cmp(version, e.fixed) >= 0) affected = false
    } else if (e.last_affected !== undefined && cmp(version, e.last_affected) > 0) affected = false
  })
  if (!affected || !underLimit(range, version, cmp)) return undefined
  const closer = events
    .slice(openedAt + 1)
    .find((e) => e.fixed !== undefined || e.last_affected !== undefined)
  const hit: AffectedHit = { via: 'range', type: range.type, events: range.events }
  if (closer?.fixed !== undefined) hit.fixed = closer.fixed
  if (closer?.last_affected !== undefined) hit.lastAffected = closer.last_affected
  return hit
}

function underLimit(range: OsvRange, version: string, cmp: Comparator): boolean {
  const limits = range.events.flatMap((e) => (e && typeof e.limit === 'string' ? [e.limit] : []))
  if (limits.length === 0) return true
  return limits.some((l) => l === '*' || cmp(version, l) < 0)
}

const versionSets = new WeakMap<OsvAffected, Set<string>>()

/** Is the version in the explicit list: the same string, or equal under the scheme (1.0 = 1.0.0)? */
function listed(affected: OsvAffected, version: string, cmp: Comparator): boolean {
  if (!Array.isArray(affected.versions) || affected.versions.length === 0) return false
  let set = versionSets.get(affected)
  if (!set) {
    set = new Set(affected.versions.filter((v) => typeof v === 'string'))
    versionSets.set(affected, set)
  }
  const forms = cmp === compareDotted ? windowsForms(version) : [version]
  if (forms.some((f) => set.has(f))) return true
  for (const v of set) if (forms.some((f) => cmp(v, f) === 0)) return true
  return false
}

/**
 * A version and, for a 4-part Windows file version whose third part is zero, the 3-part form
 * vendors publish (CCleaner's file version 5.33.0.6162 is "5.33.6162").
 */
export function windowsForms(version: string): string[] {
  const m = /^(\d+)\.(\d+)\.0+\.(\d+)$/.exec(version.trim())
  return m ? [version, `${m[1]}.${m[2]}.${m[3]}`] : [version]
}

/** Every reason this `affected` entry covers the version (ranges and the explicit list). */
export function affectedHits(
  affected: OsvAffected,
  version: string,
  ecosystemCmp: Comparator,
  semverCmp: Comparator,
): AffectedHit[] {
  const out: AffectedHit[] = []
  if (listed(affected, version, ecosystemCmp)) out.push({ via: 'versions', version })
  for (const r of Array.isArray(affected.ranges) ? affected.ranges : []) {
    if (!r || !Array.isArray(r.events)) continue
    const hit = evaluateRange(r, version, r.type === 'SEMVER' ? semverCmp : ecosystemCmp)
    if (hit) out.push(hit)
  }
  return out
}

/** Every `fixed` version named in the entry's ranges. */
export function fixedVersions(affected: OsvAffected): string[] {
  const out: string[] = []
  for (const r of Array.isArray(affected.ranges) ? affected.ranges : []) {
    for (const e of Array.isArray(r?.events) ? r.events : []) {
      if (typeof e?.fixed === 'string') out.push(e.fixed)
    }
  }
  return out
}
