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

function findingOf(c: Component, group: AdvisoryMatch[]): Finding {
  const records = [...new Set(group.map((m) => m.record))]
  const ids = [...new Set(records.flatMap(idsOf))].sort()
  const id = primaryId(ids)
  const malicious = records.some(isMalicious)
  const vendor = group.some((m) => ecosystemBase(m.ecosystem) === 'vendor')
  const basis = records.map((r) => severityOf(r.osv))
  const severity: Severity =
    malicious || vendor ? 'critical' : maxSeverity(basis.map((b) => b.severity))
  const summary = records.map((r) => r.osv.summary).find((s) => typeof s === 'string' && s) as
    | string
    | undefined
  const name = `${displayName(c)} ${c.version}`
  const kind = malicious
    ? 'malicious package'
    : vendor
      ? 'known-compromised release'
      : 'vulnerable version'
  const title = malicious
    ? `Malicious package: ${name}`
    : vendor
      ? `Known-compromised release: ${name}`
      : `${id}: ${summary ?? `vulnerable version of ${c.name}`}`
  const remediation = remediationFor(c, group, malicious)
  const advice = publisherAdvice(group)
  const reason =
    malicious || vendor
      ? `severity ${severity} (${kind})`
      : `severity from ${basis.map((b) => b.basis).join('; ')}`
  const ctx = records.find((r) => r.campaign || r.actor || r.malware)
  const finding: Omit<Finding, 'id'> = {
    ruleId: `advisory/${id}`,
    detector: DETECTOR_NAME,
    layer: 'advisory',
    severity,
    confidence: minConfidence([
      ...records.map((r) => r.confidence),
      ...group.map((m) => m.schemeConfidence),
    ]),
    title,
    message: `${name} (${c.ecosystem}) is a ${kind} per ${ids.join(', ')}${summary ? `: ${summary}` : ''}. ${reason}; ${remediation.summary}.${advice ? ` Publisher advice: ${advice}` : ''}`,
    locations: c.locations.map((path) => ({ path })),
    component: c.purl,
    evidence: group.flatMap(evidenceOf),
    remediation,
  }
  const refs = referencesOf(records)
  if (refs.length) finding.references = refs
  if (ctx) {
    finding.context = {
      ...(ctx.campaign ? { campaign: ctx.campaign } : {}),
      ...(ctx.actor ? { actor: ctx.actor } : {}),
      ...(ctx.malware ? { malware: ctx.malware } : {}),
    }
  }
  return makeFinding(finding)
}
