import { maxSeverity } from '../core/severity.js'
import type { Confidence, Evidence, Finding, Severity } from '../core/types.js'
import type { FileIndicator } from '../intel/records.js'

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 }

export function maxConfidence(list: readonly Confidence[]): Confidence {
  let best: Confidence = 'low'
  for (const c of list) if (CONFIDENCE_RANK[c] > CONFIDENCE_RANK[best]) best = c
  return best
}

export function minConfidence(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] <= CONFIDENCE_RANK[b] ? a : b
}

export function topSeverity(records: readonly FileIndicator[]): Severity {
  return maxSeverity(records.map((r) => r.severity))
}

/** One evidence entry per intel record: what matched and who said so. */
export function indicatorEvidence(kind: string, r: FileIndicator, matched: string): Evidence {
  return {
    kind,
    indicatorType: r.type,
    indicator: r.value,
    matched,
    recordId: r.id,
    source: r.source,
    recordSeverity: r.severity,
    references: r.references,
    ...(r.description && { description: r.description }),
  }
}

export function referencesOf(records: readonly FileIndicator[]): string[] {
  return [...new Set(records.flatMap((r) => r.references))].sort()
}

/** Campaign / actor / malware from the first record naming each. */
export function contextOf(records: readonly FileIndicator[]): Finding['context'] {
  const campaign = records.find((r) => r.campaign)?.campaign
  const actor = records.find((r) => r.actor)?.actor
  const malware = records.find((r) => r.malware)?.malware
  if (!campaign && !actor && !malware) return undefined
  return { ...(campaign && { campaign }), ...(actor && { actor }), ...(malware && { malware }) }
}

/** `the 3CX campaign (Lazarus), malware TAXHAUL` style phrase, or '' when intel names none. */
export function contextPhrase(ctx: Finding['context']): string {
  if (!ctx) return ''
  const parts = [
    ctx.campaign && `campaign ${ctx.campaign}`,
    ctx.actor && `actor ${ctx.actor}`,
    ctx.malware && `malware ${ctx.malware}`,
  ].filter(Boolean)
  return parts.length ? ` (${parts.join(', ')})` : ''
}
