import { makeFinding } from '../core/finding-id.js'
import { maxSeverity } from '../core/severity.js'
import type { Component, Confidence, Evidence, Finding, Severity } from '../core/types.js'
import type { AdvisoryRecord } from '../intel/records.js'
import { groupByAliases, primaryId } from './aliases.js'
import { list } from './list.js'
import type { AdvisoryMatch } from './match.js'
import { ecosystemBase } from './package-key.js'
import { publisherAdvice, remediationFor } from './remediation.js'
import { severityOf } from './severity.js'

export const DETECTOR_NAME = 'advisory/osv-match'

const MAX_LISTED_VERSIONS = 50
const MAX_REFERENCES = 12

function idsOf(r: AdvisoryRecord): string[] {
  const ids = [r.osv.id, ...(Array.isArray(r.osv.aliases) ? r.osv.aliases : [])]
  return ids.filter((x): x is string => typeof x === 'string' && x.length > 0)
}

function isMalicious(r: AdvisoryRecord): boolean {
  return (
    idsOf(r).some((id) => id.startsWith('MAL-')) ||
    r.osv.database_specific?.['malicious-packages-origins'] !== undefined
  )
}

function minConfidence(list: Confidence[]): Confidence {
  if (list.includes('low')) return 'low'
  return list.includes('medium') ? 'medium' : 'high'
}

function evidenceOf(m: AdvisoryMatch): Evidence[] {
  const base = {
    id: m.record.osv.id,
    source: m.record.source,
    ecosystem: m.ecosystem,
    package: m.package,
    installed: m.version,
    scheme: m.scheme,
    ...(m.schemeNote ? { note: m.schemeNote } : {}),
  }
  return m.hits.map((h) => {
    if (h.via === 'versions') {
      const versions = list<unknown>(m.affected.versions).filter((v) => typeof v === 'string')
      return {
        kind: 'advisory-versions',
        ...base,
        versions: versions.slice(0, MAX_LISTED_VERSIONS),
        ...(versions.length > MAX_LISTED_VERSIONS ? { versionsTotal: versions.length } : {}),
      }
    }
    return {
      kind: 'advisory-range',
      ...base,
      range: { type: h.type, events: h.events },
      ...(h.fixed ? { fixedInRange: h.fixed } : {}),
      ...(h.lastAffected ? { lastAffected: h.lastAffected } : {}),
    }
  })
}

function referencesOf(records: AdvisoryRecord[]): string[] {
  const out = new Set<string>()
  for (const r of records) {
    for (const u of list<unknown>(r.references)) if (typeof u === 'string') out.add(u)
    for (const ref of list<{ url?: unknown }>(r.osv.references))
      if (typeof ref?.url === 'string') out.add(ref.url)
  }
  return [...out].slice(0, MAX_REFERENCES)
}

function displayName(c: Component): string {
  const product = c.metadata?.productName
  return typeof product === 'string' && product ? product : c.name
}

/** One finding per vulnerability (alias group) that covers the component. */
export function findingsFor(c: Component, matches: AdvisoryMatch[]): Finding[] {
  const groups = groupByAliases(matches, (m) => idsOf(m.record))
  return groups.map((group) => findingOf(c, group))
}

type Kind = 'malicious package' | 'known-compromised release' | 'vulnerable version'

/** What the group is and how bad: malicious and vendor-compromised are critical by rule. */
function classify(
  records: AdvisoryRecord[],
  group: AdvisoryMatch[],
): { kind: Kind; severity: Severity; reason: string } {
  if (records.some(isMalicious)) {
    return {
      kind: 'malicious package',
      severity: 'critical',
      reason: 'critical (malicious package)',
    }
  }
  if (group.some((m) => ecosystemBase(m.ecosystem) === 'vendor')) {
    const kind = 'known-compromised release'
    return { kind, severity: 'critical', reason: `critical (${kind})` }
  }
  const basis = records.map((r) => severityOf(r.osv))
  return {
    kind: 'vulnerable version',
    severity: maxSeverity(basis.map((b) => b.severity)),
    reason: `from ${basis.map((b) => b.basis).join('; ')}`,
  }
}

function titleOf(kind: Kind, name: string, id: string, summary: string | undefined, c: Component) {
  if (kind === 'malicious package') return `Malicious package: ${name}`
  if (kind === 'known-compromised release') return `Known-compromised release: ${name}`
  return `${id}: ${summary ?? `vulnerable version of ${c.name}`}`
}

function contextOf(records: AdvisoryRecord[]): Finding['context'] {
  const r = records.find((x) => x.campaign || x.actor || x.malware)
  if (!r) return undefined
  return {
    ...(r.campaign ? { campaign: r.campaign } : {}),
    ...(r.actor ? { actor: r.actor } : {}),
    ...(r.malware ? { malware: r.malware } : {}),
  }
}

function findingOf(c: Component, group: AdvisoryMatch[]): Finding {
  const records = [...new Set(group.map((m) => m.record))]
  const ids = [...new Set(records.flatMap(idsOf))].sort()
  const id = primaryId(ids)
  const { kind, severity, reason } = classify(records, group)
  const summary = records.map((r) => r.osv.summary).find((s) => typeof s === 'string' && s)
  const name = `${displayName(c)} ${c.version}`
  const remediation = remediationFor(c, group, kind === 'malicious package')
  const advice = publisherAdvice(group)
  const finding: Omit<Finding, 'id'> = {
    ruleId: `advisory/${id}`,
    detector: DETECTOR_NAME,
    layer: 'advisory',
    severity,
    confidence: minConfidence([
      ...records.map((r) => r.confidence),
      ...group.map((m) => m.schemeConfidence),
    ]),
    title: titleOf(kind, name, id, summary, c),
    message:
      `${name} (${c.ecosystem}) is a ${kind} per ${ids.join(', ')}${summary ? `: ${summary}` : ''}. ` +
      `Severity ${reason}; ${remediation.summary}.${advice ? ` Publisher advice: ${advice}` : ''}`,
    locations: c.locations.map((path) => ({ path })),
    component: c.purl,
    evidence: group.flatMap(evidenceOf),
    remediation,
  }
  const refs = referencesOf(records)
  if (refs.length) finding.references = refs
  const context = contextOf(records)
  if (context) finding.context = context
  return makeFinding(finding)
}
