import type { Component, Confidence } from '../core/types.js'
import type { AdvisoryRecord, OsvAffected } from '../intel/records.js'
import type { AdvisoryIndex, IndexedAffected } from './advisory-index.js'
import { type AffectedHit, affectedHits } from './osv-range.js'
import { ecosystemBase, type PackageRef, packageRefs, parsePurl, purlKey } from './package-key.js'
import { COMPARATORS, type Scheme, schemeFor } from './version/compare.js'
import { compareSemver } from './version/npm.js'

/** One advisory `affected` entry that covers a component's installed version. */
export interface AdvisoryMatch {
  record: AdvisoryRecord
  affected: OsvAffected
  /** The entry's OSV ecosystem and package name. */
  ecosystem: string
  package: string
  /** The version compared (a Debian source version may differ from the binary's). */
  version: string
  scheme: Scheme
  schemeConfidence: Confidence
  schemeNote?: string
  hits: AffectedHit[]
}

/** Distribution release of a component when it is known or visible in its version. */
export function releaseOf(c: Component): string | undefined {
  const meta = c.metadata ?? {}
  for (const k of ['distroRelease', 'osRelease', 'release']) {
    const v = meta[k]
    if (typeof v === 'string' && v) return v
  }
  const deb = /[+~]deb(\d+)u\d/.exec(c.version)
  if (deb) return deb[1]
  const ubuntu = /ubuntu\d*\.(\d\d\.\d\d)/.exec(c.version)
  return ubuntu?.[1]
}

function platformOk(a: OsvAffected, c: Component): boolean {
  const want = a.ecosystem_specific?.platform
  const have = c.metadata?.platform
  if (typeof have !== 'string' || want === undefined) return true
  const list = Array.isArray(want) ? want : [want]
  return list.some((p) => typeof p === 'string' && p.toLowerCase() === have.toLowerCase())
}

/**
 * The release an OSV ecosystem names, when it names one as a number: `Debian:12` → 12,
 * `Alpine:v3.19` → 3.19, `Ubuntu:22.04:LTS` → 22.04, `Red Hat:enterprise_linux:9::baseos` → 9.
 * Named releases (`openSUSE:Leap 15.5`) give none, and then nothing is filtered.
 */
export function osvRelease(ecosystem: string): string | undefined {
  for (const part of ecosystem.split(':').slice(1)) {
    const m = /^v?(\d+(?:\.\d+)*)$/.exec(part.trim())
    if (m) return m[1]
  }
  return undefined
}

/** Same release line: equal, or one a dotted prefix of the other (3.19 and 3.19.1, 9 and 9.3). */
export function sameRelease(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)
}

function releaseOk(entryEcosystem: string, release: string | undefined): boolean {
  const named = release ? osvRelease(entryEcosystem) : undefined
  return !named || !release || sameRelease(release.replace(/^v/, ''), named)
}

/** Every advisory entry covering the component, each entry once. */
export function matchComponent(c: Component, index: AdvisoryIndex): AdvisoryMatch[] {
  const purl = parsePurl(c.purl)
  const refs = packageRefs(c, purl)
  const seen = new Set<IndexedAffected>()
  const out: AdvisoryMatch[] = []
  const release = releaseOf(c)
  const consider = (entries: readonly IndexedAffected[], ref: PackageRef | undefined) => {
    for (const e of entries) {
      if (seen.has(e)) continue
      seen.add(e)
      if (!platformOk(e.affected, c) || !releaseOk(e.ecosystem, release)) continue
      const version =
        ref && ecosystemBase(ref.ecosystem) === ecosystemBase(e.ecosystem) ? ref.version : c.version
      const choice = schemeFor(e.ecosystem)
      const hits = affectedHits(e.affected, version, COMPARATORS[choice.scheme], compareSemver)
      if (hits.length === 0) continue
      const m: AdvisoryMatch = {
        record: e.record,
        affected: e.affected,
        ecosystem: e.ecosystem,
        package: e.name,
        version,
        scheme: choice.scheme,
        schemeConfidence: choice.confidence,
        hits,
      }
      if (choice.note) m.schemeNote = choice.note
      out.push(m)
    }
  }
  for (const ref of refs) consider(index.lookup(ref.ecosystem, ref.name), ref)
  const pk = purl && purlKey(purl)
  if (pk) consider(index.lookupPurl(pk), refs[0])
  return out
}
