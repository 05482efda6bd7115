import type { AdvisoryRecord, OsvAffected } from '../intel/records.js'
import { ecosystemBase, normaliseName, purlKey } from './package-key.js'

/** One `affected[]` entry of one live (not withdrawn) advisory, under its package keys. */
export interface IndexedAffected {
  record: AdvisoryRecord
  affected: OsvAffected
  /** The entry's OSV ecosystem as written (`Debian:12`, `Vendor`). */
  ecosystem: string
  name: string
}

export interface AdvisoryIndex {
  /** Entries for an OSV package: ecosystem (any `:release` suffix ignored) and name. */
  lookup(ecosystem: string, name: string): readonly IndexedAffected[]
  /** Entries whose package purl has this `purlKey()`. */
  lookupPurl(key: string): readonly IndexedAffected[]
  /** Advisories indexed (withdrawn and malformed ones left out). */
  readonly records: number
}

const EMPTY: readonly IndexedAffected[] = Object.freeze([])
const cache = new WeakMap<readonly AdvisoryRecord[], AdvisoryIndex>()

/** Indexes advisories by OSV package (ecosystem + normalised name) and by package purl. */
export function buildAdvisoryIndex(advisories: readonly AdvisoryRecord[]): AdvisoryIndex {
  const hit = cache.get(advisories)
  if (hit) return hit
  const byEcosystem = new Map<string, Map<string, IndexedAffected[]>>()
  const byPurl = new Map<string, IndexedAffected[]>()
  const bases = new Map<string, string>()
  const baseOf = (eco: string) => {
    let b = bases.get(eco)
    if (b === undefined) {
      b = ecosystemBase(eco)
      bases.set(eco, b)
    }
    return b
  }
  let records = 0
  for (const record of advisories) {
    const osv = record.osv
    if (!osv || typeof osv !== 'object' || osv.withdrawn || !Array.isArray(osv.affected)) continue
    records++
    for (const affected of osv.affected) {
      const pkg = affected?.package
      if (!pkg || typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string') continue
      const entry: IndexedAffected = { record, affected, ecosystem: pkg.ecosystem, name: pkg.name }
      const base = baseOf(pkg.ecosystem)
      let names = byEcosystem.get(base)
      if (!names) {
        names = new Map()
        byEcosystem.set(base, names)
      }
      add(names, normaliseName(base, pkg.name), entry)
      const pk = typeof pkg.purl === 'string' ? purlKey(pkg.purl) : undefined
      if (pk) add(byPurl, pk, entry)
    }
  }
  const index: AdvisoryIndex = {
    lookup(ecosystem, name) {
      const base = ecosystemBase(ecosystem)
      return byEcosystem.get(base)?.get(normaliseName(base, name)) ?? EMPTY
    },
    lookupPurl: (key) => byPurl.get(key) ?? EMPTY,
    records,
  }
  cache.set(advisories, index)
  return index
}

function add(map: Map<string, IndexedAffected[]>, key: string, e: IndexedAffected): void {
  const list = map.get(key)
  if (list) list.push(e)
  else map.set(key, [e])
}
