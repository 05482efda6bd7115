import type { RuleMatch } from '@litko/yara-x'
import { makeFinding } from '../core/finding-id.js'
import { isSeverity } from '../core/severity.js'
import { CONFIDENCES, type Confidence, type Finding, type Severity } from '../core/types.js'
import type { RuleSource } from './sources.js'

/** Matched strings reported per rule (offsets beyond are counted, not listed). */
const MAX_STRINGS = 20

type Meta = Record<string, unknown>

function metaString(meta: Meta, key: string): string | undefined {
  const v = meta[key]
  return typeof v === 'string' && v ? v : undefined
}

/**
 * Severity from the rule's meta (`severity`, default medium). A rule match alone is at most high
 * unless the meta says critical *and* confidence high.
 */
export function ruleSeverity(meta: Meta): { severity: Severity; confidence: Confidence } {
  const s = metaString(meta, 'severity')?.toLowerCase()
  const c = metaString(meta, 'confidence')?.toLowerCase()
  const confidence: Confidence =
    c && (CONFIDENCES as readonly string[]).includes(c) ? (c as Confidence) : 'medium'
  let severity: Severity = s && isSeverity(s) ? s : 'medium'
  if (severity === 'critical' && confidence !== 'high') severity = 'high'
  return { severity, confidence }
}

/** One finding per matching rule, with rule, namespace, tags, meta and matched string offsets. */
export function ruleFinding(path: string, m: RuleMatch, source: RuleSource | undefined): Finding {
  const meta = (m.meta ?? {}) as Meta
  const { severity, confidence } = ruleSeverity(meta)
  const namespace = source?.namespace ?? m.namespace
  const record = source?.record
  const strings = m.matches.slice(0, MAX_STRINGS).map((s) => ({
    id: s.identifier,
    offset: s.offset,
    length: s.length,
  }))
  const context = {
    ...((metaString(meta, 'campaign') ?? record?.campaign)
      ? { campaign: metaString(meta, 'campaign') ?? record?.campaign }
      : {}),
    ...((metaString(meta, 'actor') ?? record?.actor)
      ? { actor: metaString(meta, 'actor') ?? record?.actor }
      : {}),
    ...((metaString(meta, 'malware') ?? record?.malware)
      ? { malware: metaString(meta, 'malware') ?? record?.malware }
      : {}),
  }
  const references = [
    ...new Set([
      ...Object.entries(meta)
        .filter(
          ([k, v]) =>
            /^(reference|url|source)\d*$/i.test(k) && typeof v === 'string' && /^https?:/.test(v),
        )
        .map(([, v]) => v as string),
      ...(record?.references ?? []),
    ]),
  ]
  const description = metaString(meta, 'description') ?? `YARA rule ${m.ruleIdentifier} matched`
  const where = strings.length
    ? ` (${strings.map((s) => `${s.id}@${s.offset}`).join(', ')}${m.matches.length > strings.length ? `, +${m.matches.length - strings.length} more` : ''})`
    : ''
  const ctxText = [
    context.campaign && `campaign: ${context.campaign}`,
    context.actor && `actor: ${context.actor}`,
  ]
    .filter(Boolean)
    .join('; ')
  return makeFinding({
    ruleId: `rule/${namespace}/${m.ruleIdentifier}`,
    detector: 'rule/yara',
    layer: 'rule',
    severity,
    confidence,
    title: description,
    message: `${path} matches YARA rule ${namespace}:${m.ruleIdentifier}${where}${ctxText ? `; ${ctxText}` : ''}.`,
    locations: [
      { path, ...(strings[0] ? { offset: strings[0].offset, length: strings[0].length } : {}) },
    ],
    evidence: [
      {
        kind: 'yara-match',
        rule: m.ruleIdentifier,
        namespace,
        tags: m.tags,
        meta,
        strings,
        matchCount: m.matches.length,
        ruleFile: source?.origin,
        ...(record ? { intelRecord: record.id, intelSource: record.source } : {}),
      },
    ],
    ...(references.length ? { references } : {}),
    ...(Object.keys(context).length ? { context } : {}),
  })
}
