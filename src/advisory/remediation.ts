import type { Component, Remediation } from '../core/types.js'
import type { AdvisoryMatch } from './match.js'
import { fixedVersions } from './osv-range.js'
import { COMPARATORS } from './version/compare.js'
import { dottedTokens } from './version/dotted.js'

/** The first two numeric components ("18.12"), the branch a fix should stay on when it can. */
function branchOf(v: string): string {
  return dottedTokens(v.replace(/^\d+:/, '')).slice(0, 2).map(String).join('.')
}

/**
 * The version the advisory's publisher says to update to, where an OSV entry carries one in
 * `affected[].database_specific.fixed` (the bundled pack does for vendor products: 3CX fixed in
 * 18.12.422, re-signed with a new certificate in 18.12.425, advice: 18.12.425).
 */
function publisherFixOf(m: AdvisoryMatch): string[] {
  const v = m.affected.database_specific?.fixed
  return typeof v === 'string' && v ? [v] : []
}

/** The publisher's own remediation sentence, when the entry has one. */
export function publisherAdvice(matches: readonly AdvisoryMatch[]): string | undefined {
  for (const m of matches) {
    const v = m.affected.database_specific?.remediation
    if (typeof v === 'string' && v) return v
  }
  return undefined
}

/**
 * The version to update to: the publisher's fix (see above) when it is above the installed one;
 * else the nearest fixed version above the installed one: the `fixed` that closes the affected
 * interval the version sits in; failing that, the smallest fix above it on the same
 * major.minor branch; failing that, the smallest fix above it at all.
 */
export function nearestFix(matches: readonly AdvisoryMatch[]): string | undefined {
  const first = matches[0]
  if (!first) return undefined
  const cmp = COMPARATORS[first.scheme]
  const installed = first.version
  const above = (list: string[]) => list.filter((f) => cmp(f, installed) > 0).sort(cmp)
  const advised = above(matches.flatMap(publisherFixOf))
  if (advised[0]) return advised[0]
  const closers = above(
    matches.flatMap((m) => m.hits.flatMap((h) => (h.via === 'range' && h.fixed ? [h.fixed] : []))),
  )
  if (closers[0]) return closers[0]
  const all = above(matches.flatMap((m) => fixedVersions(m.affected)))
  return all.find((f) => branchOf(f) === branchOf(installed)) ?? all[0]
}

export function remediationFor(
  c: Component,
  matches: readonly AdvisoryMatch[],
  malicious: boolean,
): Remediation {
  if (malicious) {
    return {
      summary: `remove ${c.name} ${c.version}: it is a malicious package, not a vulnerable one`,
    }
  }
  const fix = nearestFix(matches)
  if (fix) return { summary: `update to ${fix} or later`, fixedVersion: fix }
  return { summary: `no fixed version is known: remove or replace ${c.name}` }
}
