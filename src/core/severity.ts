import { SEVERITIES, type Severity } from './types.js'

/** Rank where higher is worse: info 0 … critical 4. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s)
}

/** Is `s` at or above `threshold`? */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold)
}

export function maxSeverity(list: readonly Severity[]): Severity {
  let best: Severity = 'info'
  for (const s of list) if (severityRank(s) > severityRank(best)) best = s
  return best
}

/** One step up, capped at critical. */
export function raiseSeverity(s: Severity): Severity {
  const i = SEVERITIES.indexOf(s)
  return SEVERITIES[Math.max(0, i - 1)]!
}

export function isSeverity(v: string): v is Severity {
  return (SEVERITIES as readonly string[]).includes(v)
}
