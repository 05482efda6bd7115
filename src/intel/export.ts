import { createHash } from 'node:crypto'
import type { IntelSourceInfo } from '../core/types.js'
import { writeVigil } from './importers/vigil-ndjson.js'
import type { FileIndicator, IntelRecord, NetworkIndicator } from './records.js'

export const EXPORT_FORMATS = ['ndjson', 'csv', 'stix'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export function exportRecords(
  records: readonly IntelRecord[],
  format: ExportFormat,
  info: IntelSourceInfo,
): string {
  if (format === 'ndjson') return writeVigil(info, records)
  if (format === 'csv') return toCsv(records)
  return `${JSON.stringify(toStix(records, info), null, 2)}\n`
}

type Indicator = FileIndicator | NetworkIndicator
const isIndicator = (r: IntelRecord): r is Indicator => r.kind === 'file' || r.kind === 'network'

const CSV_COLUMNS = [
  'type',
  'value',
  'severity',
  'description',
  'reference',
  'confidence',
  'id',
  'campaign',
  'actor',
  'malware',
  'platform',
  'sample_sha256',
] as const

function csvField(v: string | undefined): string {
  const s = v ?? ''
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** The CSV importer's format (header + one indicator per line); only file and network indicators. */
function toCsv(records: readonly IntelRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of records) {
    if (!isIndicator(r)) continue
    const row = [
      r.type,
      r.value,
      r.severity,
      r.description,
      r.references.join(' '),
      r.confidence,
      r.id,
      r.campaign,
      r.actor,
      r.malware,
      r.kind === 'file' ? r.platform : undefined,
      r.kind === 'file' ? r.sampleSha256 : undefined,
    ]
    lines.push(row.map(csvField).join(','))
  }
  return `${lines.join('\n')}\n`
}

/** Deterministic STIX id: `<type>--<uuid v5-shaped from SHA-256 of the key>`. */
function stixId(type: string, key: string): string {
  const h = createHash('sha256').update(`${type}\0${key}`).digest('hex')
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const STIX_PATH: Record<string, string> = {
  sha256: "file:hashes.'SHA-256'",
  sha1: "file:hashes.'SHA-1'",
  md5: 'file:hashes.MD5',
  filename: 'file:name',
  path: 'file:x_vigil_path',
  domain: 'domain-name:value',
  url: 'url:value',
}

function patternOf(r: Indicator): string | undefined {
  const quoted = `'${r.value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  if (r.type === 'ip' || r.type === 'cidr') {
    return `[${r.value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${quoted}]`
  }
  const path = STIX_PATH[r.type]
  return path ? `[${path} = ${quoted}]` : undefined
}

const CONFIDENCE_NUMBER = { high: 85, medium: 50, low: 15 }

/** A STIX 2.1 bundle: one indicator per file/network record; campaign, actor and malware as objects with relationships. */
function toStix(records: readonly IntelRecord[], info: IntelSourceInfo): Record<string, unknown> {
  const created = new Date(info.date ?? 0).toISOString()
  const common = { spec_version: '2.1', created, modified: created }
  const objects: Record<string, unknown>[] = []
  const named = new Map<string, string>()
  const ref = (type: 'campaign' | 'intrusion-set' | 'malware', label: string): string => {
    const key = `${type}:${label}`
    let id = named.get(key)
    if (!id) {
      id = stixId(type, label)
      named.set(key, id)
      const [name = label, ...aliases] = label.split(' / ')
      const obj: Record<string, unknown> = { type, ...common, id, name }
      if (aliases.length) obj.aliases = [name, ...aliases]
      if (type === 'malware') obj.is_family = true
      objects.push(obj)
    }
    return id
  }
  const rel = (kind: string, from: string, to: string) => {
    const id = stixId('relationship', `${kind}:${from}:${to}`)
    if (named.has(id)) return
    named.set(id, id)
    objects.push({
      type: 'relationship',
      ...common,
      id,
      relationship_type: kind,
      source_ref: from,
      target_ref: to,
    })
  }
  for (const r of records) {
    if (!isIndicator(r)) continue
    const pattern = patternOf(r)
    if (!pattern) continue
    const id = stixId('indicator', `${r.source}:${r.id}:${r.type}:${r.value}`)
    const ind: Record<string, unknown> = {
      type: 'indicator',
      ...common,
      id,
      name: `${r.type} ${r.value}`,
      pattern,
      pattern_type: 'stix',
      valid_from: r.firstSeen ? new Date(r.firstSeen).toISOString() : created,
      confidence: CONFIDENCE_NUMBER[r.confidence],
      indicator_types: ['malicious-activity'],
      external_references: [
        { source_name: r.source, external_id: r.id },
        ...r.references
          .filter((u) => /^https?:/.test(u))
          .map((url) => ({ source_name: 'reference', url })),
      ],
    }
    if (r.description) ind.description = r.description
    objects.push(ind)
    const campaign = r.campaign ? ref('campaign', r.campaign) : undefined
    const actor = r.actor ? ref('intrusion-set', r.actor) : undefined
    const malware = r.malware ? ref('malware', r.malware) : undefined
    const target = malware ?? campaign ?? actor
    if (target) rel('indicates', id, target)
    if (campaign && malware) rel('uses', campaign, malware)
    if (campaign && actor) rel('attributed-to', campaign, actor)
    else if (malware && actor) rel('attributed-to', malware, actor)
  }
  return { type: 'bundle', id: stixId('bundle', `${info.source}:${info.version}`), objects }
}
