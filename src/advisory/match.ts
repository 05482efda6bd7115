import type { Component, Confidence } from '../core/types.js'
import type { AdvisoryRecord, OsvAffected } from '../intel/records.js'
import { parsePurl } from '../inventory/purl.js'
import { type AffectedHit, affectedHits } from './osv-range.js'
import {
  ecosystemBase,
  normaliseName,
  type PackageRef,
  packageRefs,
  purlKey,
} from './package-key.js'
import { COMPARATORS, type Scheme, type SchemeChoice, schemeFor } from './version/compare.js'
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

/** One component being matched, with what it answers to and what it matched so far. */
interface Subject {
  c: Component
  release: string | undefined
  seen: Set<OsvAffected>
  matches: AdvisoryMatch[]
}

interface Wanted {
  subject: Subject
  /** The identity it was found under (its version may differ from the component's). */
  ref: PackageRef | undefined
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Components by OSV package (base ecosystem → normalised name) and by package purl. */
class Wants {
  readonly byPackage = new Map<string, Map<string, Wanted[]>>()
  readonly byPurl = new Map<string, Wanted[]>()

  add(subject: Subject): void {
    const purl = parsePurl(subject.c.purl)
    const refs = packageRefs(subject.c, purl)
    for (const ref of refs) {
      const base = ecosystemBase(ref.ecosystem)
      let names = this.byPackage.get(base)
      if (!names) {
        names = new Map()
        this.byPackage.set(base, names)
      }
      push(names, normaliseName(base, ref.name), { subject, ref })
    }
    const pk = purl && purlKey(purl)
    if (pk) push(this.byPurl, pk, { subject, ref: refs[0] })
  }

  /** Who wants this OSV package: by ecosystem and name, and by its purl when it has one. */
  lookup(base: string, name: string, purl: unknown): Wanted[] | undefined {
    const byName = this.byPackage.get(base)?.get(normaliseName(base, name))
    const pk = typeof purl === 'string' ? purlKey(purl) : undefined
    const byPurl = pk ? this.byPurl.get(pk) : undefined
    if (!byPurl) return byName
    return byName ? [...byName, ...byPurl] : byPurl
  }
}

/** Per-ecosystem-string facts, computed once per distinct string (there are few). */
class EcosystemFacts {
  readonly #cache = new Map<string, { base: string; choice: SchemeChoice }>()
  of(ecosystem: string) {
    let hit = this.#cache.get(ecosystem)
    if (!hit) {
      hit = { base: ecosystemBase(ecosystem), choice: schemeFor(ecosystem) }
      this.#cache.set(ecosystem, hit)
    }
    return hit
  }
}

function consider(
  w: Wanted,
  record: AdvisoryRecord,
  affected: OsvAffected,
  pkg: { ecosystem: string; name: string },
  facts: EcosystemFacts,
): void {
  const { subject, ref } = w
  if (subject.seen.has(affected)) return
  subject.seen.add(affected)
  if (!platformOk(affected, subject.c) || !releaseOk(pkg.ecosystem, subject.release)) return
  const { base, choice } = facts.of(pkg.ecosystem)
  const sameEco = ref && facts.of(ref.ecosystem).base === base
  const version = sameEco ? ref.version : subject.c.version
  const hits = affectedHits(affected, version, COMPARATORS[choice.scheme], compareSemver)
  if (hits.length === 0) return
  const m: AdvisoryMatch = {
    record,
    affected,
    ecosystem: pkg.ecosystem,
    package: pkg.name,
    version,
    scheme: choice.scheme,
    schemeConfidence: choice.confidence,
    hits,
  }
  if (choice.note) m.schemeNote = choice.note
  subject.matches.push(m)
}

/**
 * Every advisory entry covering each component, each entry once per component. One pass over
 * the advisories against a map of what the components answer to: cheaper than indexing 200,000
 * advisories for a few thousand components. Withdrawn and malformed records are skipped.
 */
export function matchAll(
  components: readonly Component[],
  advisories: readonly AdvisoryRecord[],
  signal?: AbortSignal,
): AdvisoryMatch[][] {
  const subjects: Subject[] = components.map((c) => ({
    c,
    release: releaseOf(c),
    seen: new Set(),
    matches: [],
  }))
  const wants = new Wants()
  for (const s of subjects) wants.add(s)
  const facts = new EcosystemFacts()
  let n = 0
  for (const record of advisories) {
    if ((++n & 0xfff) === 0) signal?.throwIfAborted()
    const osv = record?.osv
    if (!osv || typeof osv !== 'object' || osv.withdrawn || !Array.isArray(osv.affected)) continue
    for (const affected of osv.affected) {
      const pkg = affected?.package
      if (!pkg || typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string') continue
      const wanted = wants.lookup(facts.of(pkg.ecosystem).base, pkg.name, pkg.purl)
      if (wanted) for (const w of wanted) consider(w, record, affected, pkg, facts)
    }
  }
  return subjects.map((s) => s.matches)
}
