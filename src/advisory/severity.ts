import type { Severity } from '../core/types.js'
import type { OsvRecord } from '../intel/records.js'
import { cvss3BaseScore } from './cvss.js'
import { list } from './list.js'

/** CVSS qualitative rating: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 none (info). */
export function levelOfScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  none: 'info',
}

export interface SeverityBasis {
  severity: Severity
  /** Where it came from: `CVSS_V3 9.8 (CVSS:3.1/…)`, `database_specific.severity HIGH`, `default`. */
  basis: string
}

/**
 * Severity of an ordinary vulnerability: the highest CVSS v3 base score among the OSV `severity`
 * entries (computed from the vector), else a qualitative level (`Ubuntu` type,
 * `database_specific.severity`), else medium.
 */
export function severityOf(osv: OsvRecord): SeverityBasis {
  let best: { score: number; vector: string } | undefined
  for (const s of list<{ type?: unknown; score?: unknown }>(osv.severity)) {
    if (typeof s?.score !== 'string') continue
    const score =
      typeof s.type === 'string' && s.type.startsWith('CVSS_V3')
        ? cvss3BaseScore(s.score)
        : undefined
    if (score !== undefined && (!best || score > best.score)) best = { score, vector: s.score }
  }
  if (best) {
    return {
      severity: levelOfScore(best.score),
      basis: `CVSS v3 base ${best.score} (${best.vector})`,
    }
  }
  for (const s of list<{ type?: unknown; score?: unknown }>(osv.severity)) {
    const w = typeof s?.score === 'string' ? WORDS[s.score.toLowerCase()] : undefined
    if (w) return { severity: w, basis: `${s.type} ${s.score}` }
  }
  const db = isObject(osv.database_specific) ? osv.database_specific.severity : undefined
  if (typeof db === 'string' && WORDS[db.toLowerCase()]) {
    return { severity: WORDS[db.toLowerCase()]!, basis: `database_specific.severity ${db}` }
  }
  return { severity: 'medium', basis: 'no severity in the record (default medium)' }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
