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
 * A publisher's recommended version beyond the first fixed one, as a Vigil OSV extension:
 * `database_specific.recommended_version` on the affected entry or the record (3CX: fixed in
 * 18.12.422, re-signed with a new certificate in 18.12.425).
 */
function recommendedOf(m: AdvisoryMatch): string[] {
  const out: string[] = []
  for (const db of [m.affected.database_specific, m.record.osv.database_specific]) {
    const v = db?.recommended_version
    if (typeof v === 'string' && v) out.push(v)
  }
  return out
}

/**
 * The version to update to: a recommended version (see above) when the record names one;
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
  const recommended = above(matches.flatMap((m) => recommendedOf(m)))
  if (recommended[0]) return recommended[recommended.length - 1]
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
