import { makeFinding } from '../core/finding-id.js'
import { atLeast, maxSeverity, raiseSeverity, severityRank } from '../core/severity.js'
import {
  type Component,
  type Confidence,
  type Finding,
  LAYERS,
  type Layer,
  type Severity,
  type Verdict,
} from '../core/types.js'
import { componentIndex, type Subject, subjectOf } from './subject.js'

/** Rule id of the findings that record a raise; stable. */
export const CORRELATION_RULE = 'correlation/layers-agree'

/**
 * Does this finding count as a layer agreeing about its subject? Only findings at `low` or above
 * with `medium` or `high` confidence do: an `info` note or a low-confidence guess is context, so
 * it never raises anything. `correlation` findings are derived and never count.
 */
export function corroborates(f: Finding): boolean {
  return f.layer !== 'correlation' && atLeast(f.severity, 'low') && f.confidence !== 'low'
}

/** Layers that agree about a group of findings, in LAYERS order. */
export function agreeingLayers(findings: readonly Finding[]): Layer[] {
  const set = new Set(findings.filter(corroborates).map((f) => f.layer))
  return LAYERS.filter((l) => set.has(l))
}

function byWeight(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.id, b.id)
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** One line per finding: `high ioc: <title> (<path>)`, the path only when it is not the subject. */
export function reasonLine(f: Finding, subject: string): string {
  const path = f.locations[0]?.path
  const where = path !== undefined && path !== subject ? ` (${path})` : ''
  return `${f.severity} ${f.layer}: ${f.title}${where}`
}

/**
 * The verdict's severity: the highest of its findings; when two or more layers agree, at least one
 * step above the highest *agreeing* finding (capped at critical). The raise builds on what is
 * corroborated: a lone high guess at low confidence is not lifted to critical by two medium layers.
 */
export function combinedSeverity(findings: readonly Finding[]): Severity {
  const top = maxSeverity(findings.map((f) => f.severity))
  const agreeing = findings.filter(corroborates)
  if (agreeingLayers(agreeing).length < 2) return top
  return maxSeverity([top, raiseSeverity(maxSeverity(agreeing.map((f) => f.severity)))])
}

function verdictOf(subject: Subject, findings: Finding[]): Verdict {
  findings.sort(byWeight)
  const layers = new Set(findings.map((f) => f.layer))
  return {
    subject: subject.key,
    subjectKind: subject.kind,
    severity: combinedSeverity(findings),
    layers: LAYERS.filter((l) => layers.has(l)),
    findingIds: findings.map((f) => f.id),
    reasons: findings.map((f) => reasonLine(f, subject.key)),
  }
}

/**
 * One verdict per subject (see subjectOf). The verdict's severity is the highest of its findings,
 * raised one step (at most to critical) when two or more layers agree (see corroborates and
 * combinedSeverity). Findings
 * of the `correlation` layer are ignored: they are this function's own output. Pass the report's
 * components so findings on files a component owns join that component's verdict. Verdicts are
 * sorted worst first, then by subject.
 */
export function correlate(
  findings: readonly Finding[],
  components: readonly Component[] = [],
): Verdict[] {
  const owner = componentIndex(components)
  const groups = new Map<string, { subject: Subject; findings: Finding[] }>()
  for (const f of findings) {
    if (f.layer === 'correlation') continue
    const subject = subjectOf(f, owner)
    const key = `${subject.kind}\0${subject.key}`
    const group = groups.get(key)
    if (group) group.findings.push(f)
    else groups.set(key, { subject, findings: [f] })
  }
  const verdicts = [...groups.values()].map((g) => verdictOf(g.subject, g.findings))
  return verdicts.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || cmp(a.subject, b.subject),
  )
}

function confidenceOf(agreeing: readonly Finding[]): Confidence {
  return agreeing.filter((f) => f.confidence === 'high').length >= 2 ? 'high' : 'medium'
}

/**
 * A `correlation` finding for each verdict whose severity was raised, so JSON and SARIF consumers
 * see the raise as a result of its own. Its evidence lists the contributing finding ids and layers.
 */
export function correlationFindings(
  verdicts: readonly Verdict[],
  findings: readonly Finding[],
): Finding[] {
  const byId = new Map(findings.map((f) => [f.id, f]))
  const out: Finding[] = []
  for (const v of verdicts) {
    const members = v.findingIds.map((id) => byId.get(id)).filter((f) => f !== undefined)
    const from = maxSeverity(members.map((f) => f.severity))
    if (v.severity === from) continue
    const agreeing = members.filter(corroborates)
    const layers = agreeingLayers(agreeing)
    const paths = [...new Set(members.flatMap((f) => f.locations.map((l) => l.path)))].sort()
    out.push(
      makeFinding({
        ruleId: CORRELATION_RULE,
        detector: 'correlate',
        layer: 'correlation',
        severity: v.severity,
        confidence: confidenceOf(agreeing),
        title: `${layers.length} layers agree`,
        message: `${layers.join(', ')} all report ${v.subject}; severity raised from ${from} to ${v.severity}.`,
        locations: paths.map((path) => ({ path })),
        ...(v.subjectKind === 'component' ? { component: v.subject } : {}),
        evidence: [
          {
            kind: 'correlation',
            subject: v.subject,
            subjectKind: v.subjectKind,
            layers,
            raisedFrom: from,
            findingIds: agreeing.map((f) => f.id),
          },
        ],
      }),
    )
  }
  return out
}

/**
 * The whole correlate step for a pipeline: verdicts over the findings, plus the `correlation`
 * findings for raised verdicts appended to the findings. Run it after suppressions.
 */
export function withCorrelation(
  findings: readonly Finding[],
  components: readonly Component[] = [],
): { findings: Finding[]; verdicts: Verdict[] } {
  const base = findings.filter((f) => f.layer !== 'correlation')
  const verdicts = correlate(base, components)
  return { findings: [...base, ...correlationFindings(verdicts, base)], verdicts }
}
