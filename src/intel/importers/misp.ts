import type { Confidence, Severity } from '../../core/types.js'
import type { ContextRecord, IntelRecord, Provenance } from '../records.js'
import { type IndicatorType, linkSample, makeIndicator, normaliseValue } from './indicator.js'
import { isObject, optStr, strings } from './json-text.js'
import { IntelFormatError, severityFor } from './types.js'

type Obj = Record<string, unknown>

export function looksLikeMisp(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every((e) => isObject(e) && isObject(e.Event))
  if (!isObject(v)) return false
  if (isObject(v.Event)) return true
  return Array.isArray(v.response) && v.response.every((e) => isObject(e) && isObject(e.Event))
}

/** MISP threat_level_id: 1 high, 2 medium, 3 low, 4 undefined. */
const THREAT_LEVEL: Record<string, Severity> = {
  '1': 'high',
  '2': 'medium',
  '3': 'low',
  '4': 'medium',
}

/**
 * MISP event JSON (MISP core format): one `{Event}`, an array of them, or a `{response:[…]}`
 * search result. Attributes (and attributes of objects) of hash, name, network and yara types
 * become records; tags and galaxies give actor, malware and campaign.
 */
export function importMisp(value: unknown, file: string, source: string): IntelRecord[] {
  const events: { e: Obj; path: string }[] = []
  if (Array.isArray(value))
    for (const [i, w] of value.entries())
      events.push({ e: (w as Obj).Event as Obj, path: `$[${i}].Event` })
  else if (isObject(value) && isObject(value.Event))
    events.push({ e: value.Event, path: '$.Event' })
  else if (isObject(value) && Array.isArray(value.response)) {
    for (const [i, w] of value.response.entries()) {
      events.push({ e: (w as Obj).Event as Obj, path: `$.response[${i}].Event` })
    }
  } else throw new IntelFormatError(file, '$', 'expected a MISP event')
  return events.flatMap(({ e, path }) => importEvent(e, path, file, source))
}

interface EventContext {
  campaign: string[]
  actor: string[]
  malware: string[]
  tags: string[]
}

function importEvent(e: Obj, path: string, file: string, source: string): IntelRecord[] {
  if (!isObject(e)) throw new IntelFormatError(file, path, 'expected an object')
  /** `fileObject`: index of the MISP `file` object holding the attribute (one sample). */
  const attrs: { a: Obj; path: string; fileObject?: number }[] = []
  const list = (v: unknown, p: string, fileObject?: number) => {
    if (v === undefined) return
    if (!Array.isArray(v)) throw new IntelFormatError(file, p, 'expected an array')
    v.forEach((a, i) => {
      if (!isObject(a))
        throw new IntelFormatError(file, `${p}[${i}]`, 'expected an attribute object')
      attrs.push({ a, path: `${p}[${i}]`, ...(fileObject !== undefined && { fileObject }) })
    })
  }
  list(e.Attribute, `${path}.Attribute`)
  if (Array.isArray(e.Object)) {
    for (const [i, o] of e.Object.entries()) {
      if (isObject(o))
        list(o.Attribute, `${path}.Object[${i}].Attribute`, o.name === 'file' ? i : undefined)
    }
  }
  const ctx: EventContext = { campaign: [], actor: [], malware: [], tags: [] }
  addGalaxies(ctx, e.Galaxy)
  addTags(ctx, e.Tag)
  const references: string[] = []
  for (const { a } of attrs) {
    const type = String(a.type)
    const v = typeof a.value === 'string' ? a.value : ''
    if (type === 'link' && v) references.push(v)
    if (type === 'campaign-name' && v) ctx.campaign.push(v)
    if (type === 'threat-actor' && v) ctx.actor.push(v)
  }
  const severity = THREAT_LEVEL[String(e.threat_level_id ?? '4')] ?? 'medium'
  const eventId = optStr(e, 'uuid') ?? optStr(e, 'id') ?? path
  const records: IntelRecord[] = []
  const samples = new Map<number, IntelRecord[]>()
  for (const { a, path: ap, fileObject } of attrs) {
    const made = attributeRecords(a, ap, {
      file,
      source,
      severity,
      eventId,
      ctx,
      references,
      info: optStr(e, 'info'),
    })
    records.push(...made)
    if (fileObject !== undefined)
      samples.set(fileObject, [...(samples.get(fileObject) ?? []), ...made])
  }
  // A MISP file object is one sample: its SHA-1/MD5 records carry its SHA-256.
  for (const sample of samples.values()) linkSample(sample)
  for (const name of ctx.actor) records.push(contextRecord('intrusion-set', name, eventId, source))
  for (const name of ctx.campaign) records.push(contextRecord('campaign', name, eventId, source))
  for (const name of ctx.malware) records.push(contextRecord('malware', name, eventId, source))
  return records
}

function contextRecord(
  type: ContextRecord['type'],
  name: string,
  eventId: string,
  source: string,
): ContextRecord {
  return {
    kind: 'context',
    type,
    id: `${eventId}/${type}/${name}`,
    source,
    confidence: 'medium',
    references: [],
    name,
  }
}

function addTags(ctx: EventContext, tags: unknown): void {
  if (!Array.isArray(tags)) return
  for (const t of tags) {
    const name = isObject(t) ? optStr(t, 'name') : undefined
    if (!name) continue
    ctx.tags.push(name)
    const m = /^misp-galaxy:([a-z0-9-]+)="(.+)"$/.exec(name)
    if (m) addCluster(ctx, m[1]!, m[2]!, [])
  }
}

function addGalaxies(ctx: EventContext, galaxies: unknown): void {
  if (!Array.isArray(galaxies)) return
  for (const g of galaxies) {
    if (!isObject(g) || !Array.isArray(g.GalaxyCluster)) continue
    for (const c of g.GalaxyCluster) {
      if (!isObject(c) || typeof c.value !== 'string') continue
      const synonyms = isObject(c.meta) ? strings(c.meta.synonyms) : []
      addCluster(ctx, String(g.type ?? c.type ?? ''), c.value, synonyms)
    }
  }
}

function addCluster(ctx: EventContext, type: string, value: string, synonyms: string[]): void {
  const label = [value, ...synonyms.filter((s) => s !== value).slice(0, 2)].join(' / ')
  const has = (list: string[]) => list.some((l) => l.split(' / ')[0] === value)
  if (/threat-actor|intrusion-set/.test(type)) {
    if (!has(ctx.actor)) ctx.actor.push(label)
  } else if (/malware|malpedia|tool|ransomware|backdoor/.test(type)) {
    if (!has(ctx.malware)) ctx.malware.push(label)
  } else if (/campaign/.test(type) && !has(ctx.campaign)) ctx.campaign.push(label)
}

interface AttrEnv {
  file: string
  source: string
  severity: Severity
  eventId: string
  ctx: EventContext
  references: string[]
  info: string | undefined
}

const SIMPLE: Record<string, IndicatorType> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  filename: 'filename',
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  'ip-dst': 'ip',
  'ip-src': 'ip',
}

function attributeRecords(a: Obj, path: string, env: AttrEnv): IntelRecord[] {
  const type = typeof a.type === 'string' ? a.type : ''
  const known =
    SIMPLE[type] ||
    type.startsWith('filename|') ||
    type.includes('|port') ||
    type === 'domain|ip' ||
    type === 'yara'
  if (!known) return []
  if (typeof a.value !== 'string' || a.value === '') {
    throw new IntelFormatError(env.file, `${path}.value`, 'expected a non-empty string')
  }
  const value = a.value
  const confidence: Confidence = a.to_ids === false ? 'low' : 'high'
  const local: EventContext = {
    campaign: [...env.ctx.campaign],
    actor: [...env.ctx.actor],
    malware: [...env.ctx.malware],
    tags: [],
  }
  addGalaxies(local, a.Galaxy)
  addTags(local, a.Tag)
  const prov: Provenance = {
    id: optStr(a, 'uuid') ?? `${env.eventId}${path}`,
    source: env.source,
    confidence,
    references: env.references,
  }
  const description = [optStr(a, 'comment'), env.info].filter(Boolean).join(' — ')
  if (description) prov.description = description
  if (local.campaign.length) prov.campaign = local.campaign.join('; ')
  if (local.actor.length) prov.actor = local.actor.join('; ')
  if (local.malware.length) prov.malware = local.malware.join('; ')
  const tags = [...env.ctx.tags, ...local.tags]
  if (tags.length) prov.tags = tags
  const first = optStr(a, 'first_seen')
  if (first) prov.firstSeen = first
  const last = optStr(a, 'last_seen')
  if (last) prov.lastSeen = last
  const severity = severityFor(confidence, env.severity)
  if (type === 'yara') return [{ kind: 'yara', ...prov, text: value, file: env.file }]
  const parts = value.split('|')
  const make = (t: IndicatorType, v: string, extra: { port?: number } = {}): IntelRecord => {
    const norm = normaliseValue(t, v)
    if ('error' in norm) throw new IntelFormatError(env.file, `${path}.value`, norm.error)
    return makeIndicator(t, norm.value, severity, prov, extra)
  }
  const simple = SIMPLE[type]
  if (simple) return [make(simple, value)]
  if (parts.length !== 2)
    throw new IntelFormatError(env.file, `${path}.value`, `expected 'a|b' for ${type}`)
  const [left = '', right = ''] = parts
  if (type.startsWith('filename|')) {
    const hashType = SIMPLE[type.slice(9)]
    if (!hashType || hashType === 'filename') return []
    const rec = make(hashType, right)
    rec.description = [`file name ${left}`, rec.description].filter(Boolean).join('; ')
    return [rec]
  }
  if (type === 'domain|ip') return [make('domain', left), make('ip', right)]
  const port = Number(right)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new IntelFormatError(env.file, `${path}.value`, `bad port '${right}'`)
  }
  const hostType: IndicatorType = type.startsWith('ip-') ? 'ip' : 'domain'
  return [make(hostType, left, { port })]
}
