import { makeFinding } from '../../core/finding-id.js'
import type { Finding, Severity } from '../../core/types.js'
import type { AlertGroup } from '../aggregate.js'
import { isoOf } from '../input/time.js'

/** Suricata severity 1 → medium, 2 → low, 3+ → info: another tool's heuristic, never high alone. */
export function alertSeverity(suricataSeverity: number): Severity {
  return suricataSeverity <= 1 ? 'medium' : suricataSeverity === 2 ? 'low' : 'info'
}

export function alertFinding(g: AlertGroup, pathOf: (file: number) => string): Finding {
  return makeFinding({
    ruleId: `net/suricata-${g.sid}`,
    detector: 'net/ids-alert',
    layer: 'network',
    severity: alertSeverity(g.severity),
    confidence: 'medium',
    title: `IDS alert: ${g.signature || `sid ${g.sid}`}`,
    message: `Suricata alerted ${g.count} time(s) on ${g.src} → ${g.dst}:${g.dport} (${g.category || 'no category'}) between ${isoOf(g.first)} and ${isoOf(g.last)}.`,
    locations: g.locations.map((l) => ({ path: pathOf(l.file), line: l.line })),
    evidence: [
      {
        kind: 'ids-alert',
        signature: g.signature,
        sid: g.sid,
        suricataSeverity: g.severity,
        category: g.category,
        src: g.src,
        dst: `${g.dst}:${g.dport}`,
        count: g.count,
        firstSeen: isoOf(g.first),
        lastSeen: isoOf(g.last),
      },
    ],
  })
}
