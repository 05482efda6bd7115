import type { Aggregator } from './aggregate.js'
import type { PairKind } from './series.js'

export interface Prevalence {
  /** Distinct sources that reached the destination. */
  sources: number
  /** Distinct sources in the whole log set (the network size). */
  network: number
  /** sources / network. */
  share: number
  /** Earliest time any source reached it. */
  firstSeen: number
}

/** Share of all internal sources reaching each destination (RITA's prevalence), per pair kind. */
export class PrevalenceIndex {
  private readonly byDest = new Map<string, { sources: Set<string>; first: number }>()
  readonly network: number

  constructor(agg: Aggregator) {
    const all = new Set<string>()
    for (const p of agg.allPairs()) {
      all.add(p.src)
      const key = destKey(p.kind, p.dst)
      let d = this.byDest.get(key)
      if (!d) {
        d = { sources: new Set(), first: p.first }
        this.byDest.set(key, d)
      }
      d.sources.add(p.src)
      if (p.first < d.first) d.first = p.first
    }
    this.network = all.size
  }

  of(kind: PairKind, dst: string): Prevalence {
    const d = this.byDest.get(destKey(kind, dst))
    const sources = d?.sources.size ?? 0
    return {
      sources,
      network: this.network,
      share: this.network ? sources / this.network : 0,
      firstSeen: d?.first ?? Number.NaN,
    }
  }
}

/** Direct traffic counts by address (any port); named traffic by name. */
function destKey(kind: PairKind, dst: string): string {
  if (kind !== 'ip') return `${kind}\0${dst}`
  const colon = dst.lastIndexOf(':')
  return `ip\0${colon > 0 ? dst.slice(0, colon) : dst}`
}

/** Fewest hosts for prevalence to mean anything. */
export const MIN_NETWORK = 4

/**
 * RITA's prevalence modifier: +0.15 when at most 2 % of hosts (or a single host) reach the
 * destination, −0.15 when half or more do. No change in networks of fewer than MIN_NETWORK hosts.
 */
export function prevalenceModifier(p: Prevalence): number {
  if (p.network < MIN_NETWORK) return 0
  if (p.share >= 0.5) return -0.15
  if (p.sources <= Math.max(1, Math.floor(0.02 * p.network))) return 0.15
  return 0
}
