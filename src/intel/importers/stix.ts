import type { Confidence, Severity } from '../../core/types.js'
import type { ContextRecord, IntelRecord, Provenance } from '../records.js'
import { type IndicatorType, linkSample, makeIndicator, normaliseValue } from './indicator.js'
import { isObject, optStr, strings } from './json-text.js'
import { parseStixPattern, termType } from './stix-pattern.js'
import { IntelFormatError } from './types.js'

type StixObject = Record<string, unknown> & { type: string; id: string }

export function looksLikeStix(v: unknown): boolean {
  return isObject(v) && v.type === 'bundle' && Array.isArray(v.objects)
}

const CONTEXT_TYPES: Record<string, ContextRecord['type']> = {
  campaign: 'campaign',
  'intrusion-set': 'intrusion-set',
  'threat-actor': 'intrusion-set',
  malware: 'malware',
}

/**
 * A STIX 2.1 bundle: indicators with `stix` patterns become file/network indicators, `yara`
 * patterns become rules; `indicates`, `attributed-to` and `uses` relationships give each indicator
 * its campaign, actor and malware; campaign, intrusion-set, threat-actor and malware objects become
 * context records.
 */
export function importStix(bundle: unknown, file: string, source: string): IntelRecord[] {
  if (!looksLikeStix(bundle)) throw new IntelFormatError(file, '$', 'expected a STIX bundle')
  const objects = (bundle as { objects: unknown[] }).objects
  const byId = new Map<string, StixObject>()
  objects.forEach((o, i) => {
    if (!isObject(o) || typeof o.type !== 'string' || typeof o.id !== 'string') {
      throw new IntelFormatError(
        file,
        `$.objects[${i}]`,
        'expected an object with string type and id',
      )
    }
    byId.set(o.id, o as StixObject)
  })
  const edges = relationshipEdges(objects as StixObject[])
  const records: IntelRecord[] = []
  objects.forEach((o, i) => {
    const obj = o as StixObject
    if (obj.revoked === true) return
    const ctxType = CONTEXT_TYPES[obj.type]
    if (ctxType) records.push(contextRecord(obj, ctxType, source))
    if (obj.type === 'indicator') {
      records.push(
        ...indicatorRecords(obj, `$.objects[${i}]`, file, source, contextOf(obj.id, edges, byId)),
      )
    }
  })
  return records
}

interface Edges {
  out: Map<string, { rel: string; to: string }[]>
  usedBy: Map<string, string[]>
}

function relationshipEdges(objects: StixObject[]): Edges {
  const out = new Map<string, { rel: string; to: string }[]>()
  const usedBy = new Map<string, string[]>()
  for (const o of objects) {
    if (o.type !== 'relationship') continue
    const from = o.source_ref
    const to = o.target_ref
    const rel = o.relationship_type
    if (typeof from !== 'string' || typeof to !== 'string' || typeof rel !== 'string') continue
    if (rel === 'uses') usedBy.set(to, [...(usedBy.get(to) ?? []), from])
    out.set(from, [...(out.get(from) ?? []), { rel, to }])
  }
  return { out, usedBy }
}

interface StixContext {
  campaign: string[]
  actor: string[]
  malware: string[]
  references: string[]
}

/**
 * Walks indicates → attributed-to, and `uses` backwards (malware → campaign using it), from an
 * indicator (depth ≤ 4). Malware a campaign uses counts only when the indicator names no malware.
 */
function contextOf(start: string, edges: Edges, byId: Map<string, StixObject>): StixContext {
  const ctx: StixContext = { campaign: [], actor: [], malware: [], references: [] }
  const usedMalware: string[] = []
  const seen = new Set<string>([start])
  let frontier = [start]
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: string[] = []
    for (const id of frontier) {
      for (const t of neighbours(id, id === start, edges)) {
        if (seen.has(t.id)) continue
        const o = byId.get(t.id)
        if (!o || typeof o.name !== 'string') continue
        const kind = CONTEXT_TYPES[o.type]
        if (t.viaUses) {
          if (kind === 'malware') usedMalware.push(displayName(o))
          continue
        }
        seen.add(t.id)
        next.push(t.id)
        if (kind === 'campaign') ctx.campaign.push(displayName(o))
        else if (kind === 'intrusion-set') ctx.actor.push(displayName(o))
        else if (kind === 'malware') ctx.malware.push(displayName(o))
        ctx.references.push(...externalUrls(o))
      }
    }
    frontier = next
  }
  if (ctx.malware.length === 0) ctx.malware.push(...new Set(usedMalware))
  return ctx
}

function neighbours(
  id: string,
  isStart: boolean,
  edges: Edges,
): { id: string; viaUses: boolean }[] {
  const out: { id: string; viaUses: boolean }[] = []
  for (const e of edges.out.get(id) ?? []) {
    if (e.rel === 'indicates' || e.rel === 'attributed-to') out.push({ id: e.to, viaUses: false })
    else if (e.rel === 'uses' && !isStart) out.push({ id: e.to, viaUses: true })
  }
  if (!isStart)
    for (const from of edges.usedBy.get(id) ?? []) out.push({ id: from, viaUses: false })
  return out
}

/** `Labyrinth Chollima / UNC4736`: the name and up to two aliases. */
function displayName(o: StixObject): string {
  const name = o.name as string
  const aliases = strings(o.aliases).filter((a) => a.toLowerCase() !== name.toLowerCase())
  return [name, ...aliases.slice(0, 2)].join(' / ')
}

function externalUrls(o: Record<string, unknown>): string[] {
  const refs = Array.isArray(o.external_references) ? o.external_references : []
  return refs.flatMap((r) => (isObject(r) && typeof r.url === 'string' ? [r.url] : []))
}

function confidenceOf(o: StixObject): Confidence {
  const c = o.confidence
  if (typeof c !== 'number') return 'medium'
  return c >= 70 ? 'high' : c >= 30 ? 'medium' : 'low'
}

const SEVERITY_OF: Record<Confidence, Severity> = { high: 'high', medium: 'medium', low: 'low' }

function contextRecord(o: StixObject, type: ContextRecord['type'], source: string): ContextRecord {
  const rec: ContextRecord = {
    kind: 'context',
    type,
    id: o.id,
    source,
    confidence: confidenceOf(o),
    references: externalUrls(o),
    name: typeof o.name === 'string' ? o.name : o.id,
  }
  const aliases = strings(o.aliases)
  if (aliases.length) rec.aliases = aliases
  const d = optStr(o, 'description')
  if (d) rec.description = d
  const first = optStr(o, 'first_seen')
  if (first) rec.firstSeen = first
  const last = optStr(o, 'last_seen')
  if (last) rec.lastSeen = last
  return rec
}

const SPECIFICITY: Record<IndicatorType, number> = {
  sha256: 4,
  sha1: 4,
  md5: 4,
  url: 3,
  domain: 2,
  ip: 2,
  cidr: 2,
  filename: 1,
  path: 1,
}

function indicatorRecords(
  o: StixObject,
  path: string,
  file: string,
  source: string,
  ctx: StixContext,
): IntelRecord[] {
  const pattern = o.pattern
  if (typeof pattern !== 'string')
    throw new IntelFormatError(file, `${path}.pattern`, 'expected a string')
  let confidence = confidenceOf(o)
  const prov: Provenance = {
    id: o.id,
    source,
    confidence,
    references: [...new Set([...externalUrls(o), ...ctx.references])],
  }
  const description = optStr(o, 'description') ?? optStr(o, 'name')
  if (description) prov.description = description
  if (ctx.campaign.length) prov.campaign = ctx.campaign.join('; ')
  if (ctx.actor.length) prov.actor = ctx.actor.join('; ')
  if (ctx.malware.length) prov.malware = ctx.malware.join('; ')
  const validFrom = optStr(o, 'valid_from')
  if (validFrom) prov.firstSeen = validFrom
  const validUntil = optStr(o, 'valid_until')
  if (validUntil) prov.lastSeen = validUntil
  const labels = [...strings(o.labels), ...strings(o.indicator_types)]
  if (labels.length) prov.tags = labels
  const patternType = typeof o.pattern_type === 'string' ? o.pattern_type : 'stix'
  if (patternType === 'yara') return [{ kind: 'yara', ...prov, text: pattern, file }]
  if (patternType !== 'stix') return []
  let observations: ReturnType<typeof parseStixPattern>
  try {
    observations = parseStixPattern(pattern)
  } catch (err) {
    throw new IntelFormatError(file, `${path}.pattern`, (err as Error).message)
  }
  const out: IntelRecord[] = []
  for (const obs of observations) {
    let terms = obs.terms.flatMap((t) => {
      const type = termType(t.path)
      return type ? [{ type, value: t.value }] : []
    })
    if (obs.conjunctive && terms.length) {
      // AND: a hash alone is as specific as the whole conjunction; keep only the most specific terms.
      const best = Math.max(...terms.map((t) => SPECIFICITY[t.type]))
      terms = terms.filter((t) => SPECIFICITY[t.type] === best)
      if (best < 4 && obs.terms.length > terms.length) confidence = lower(confidence)
    }
    const made = terms.map((t) => {
      const norm = normaliseValue(t.type, t.value)
      if ('error' in norm) throw new IntelFormatError(file, `${path}.pattern`, norm.error)
      return makeIndicator(t.type, norm.value, SEVERITY_OF[confidence], { ...prov, confidence })
    })
    // The hashes of one observation over one object type describe one file (AND or OR).
    if (new Set(obs.terms.map((t) => t.path.slice(0, t.path.indexOf(':')))).size === 1)
      linkSample(made)
    out.push(...made)
  }
  return out
}

function lower(c: Confidence): Confidence {
  return c === 'high' ? 'medium' : 'low'
}
