import { isSeverity } from '../../core/severity.js'
import type { IntelSourceInfo } from '../../core/types.js'
import { CONFIDENCES } from '../../core/types.js'
import {
  type BatchIds,
  compactIds,
  DIGEST_BYTES,
  HashBatch,
  type HashTemplate,
  type HashType,
} from '../hash-batch.js'
import type { FileIndicator, IntelRecord } from '../records.js'
import { isObject } from './json-text.js'
import { IntelFormatError } from './types.js'

/** Version of the record-file format (`docs/intel.md`). Readers refuse a newer one. */
export const RECORD_FORMAT_VERSION = 1

/** First line of every Vigil intel file: store source files, update bundles and NDJSON exports. */
export interface VigilHeader extends IntelSourceInfo {
  vigilIntel: number
}

export function looksLikeVigil(text: string): boolean {
  return text.startsWith('{"vigilIntel":')
}

/** Hash indicators sharing everything but value and id are written as one bulk line from this many. */
export const BULK_MIN = 256

/** A bulk line: many hashes of one type with one provenance (docs/intel.md). */
export interface VigilBulkLine {
  vigilBulk: 1
  type: HashType
  /** Concatenated lowercase hex digests. */
  values: string
  /** Per-digest ids as prefix + space-separated suffixes, when they are not all the template's id. */
  ids?: BatchIds
  template: HashTemplate
}

/** Hash indicators a bulk line can hold: one that names its sample's SHA-256 stays a plain line. */
const isBulkable = (r: IntelRecord): r is FileIndicator =>
  r.kind === 'file' &&
  (r.type === 'sha256' || r.type === 'sha1' || r.type === 'md5') &&
  r.sampleSha256 === undefined

function templateKey(r: FileIndicator): string {
  return [
    r.type,
    r.severity,
    r.source,
    r.confidence,
    r.platform,
    r.campaign,
    r.actor,
    r.malware,
    r.description,
    r.firstSeen,
    r.lastSeen,
    r.references.join('\u0001'),
    r.tags?.join('\u0001'),
    Object.keys(r).length,
  ].join('\u0000')
}

/**
 * Serialises a source: the header line, then one record per line, except that large groups of
 * hash indicators with the same provenance become bulk lines (fast to load, see HashBatch).
 */
export function writeVigil(
  info: IntelSourceInfo,
  records: readonly IntelRecord[],
  batches: readonly HashBatch[] = [],
): string {
  const count = records.length + batches.reduce((n, b) => n + b.count, 0)
  const header: VigilHeader = { vigilIntel: RECORD_FORMAT_VERSION, ...info, records: count }
  const groups = new Map<string, FileIndicator[]>()
  const keys = records.map((r) => (isBulkable(r) ? templateKey(r) : undefined))
  records.forEach((r, i) => {
    const key = keys[i]
    if (key === undefined) return
    const g = groups.get(key)
    if (g) g.push(r as FileIndicator)
    else groups.set(key, [r as FileIndicator])
  })
  const lines = [JSON.stringify(header)]
  const emitted = new Set<string>()
  records.forEach((r, i) => {
    const key = keys[i]
    const group = key === undefined ? undefined : groups.get(key)
    if (key === undefined || !group || group.length < BULK_MIN) {
      lines.push(JSON.stringify(r))
      return
    }
    if (emitted.has(key)) return
    emitted.add(key)
    const bulk = bulkLine(group)
    if (bulk) lines.push(JSON.stringify(bulk))
    else for (const g of group) lines.push(JSON.stringify(g))
  })
  for (const b of batches) {
    const ids = b.compactIds()
    const line: VigilBulkLine = {
      vigilBulk: 1,
      type: b.type,
      values: b.hex(),
      ...(ids ? { ids } : {}),
      template: b.template,
    }
    lines.push(JSON.stringify(line))
  }
  return `${lines.join('\n')}\n`
}

function bulkLine(group: FileIndicator[]): VigilBulkLine | undefined {
  const { value: _v, id, type, ...rest } = group[0]!
  const ids = group.some((g) => g.id !== id) ? compactIds(group.map((g) => g.id)) : undefined
  if (!ids && group.some((g) => g.id !== id)) return undefined
  return {
    vigilBulk: 1,
    type: type as HashType,
    values: group.map((g) => g.value).join(''),
    ...(ids ? { ids } : {}),
    template: { ...rest, id },
  }
}

const KINDS = new Set(['file', 'network', 'advisory', 'yara', 'context'])

/** Parses a Vigil intel file; every record is checked for the fields the index relies on. */
export function readVigil(
  text: string,
  file: string,
): { header: VigilHeader; records: IntelRecord[]; batches: HashBatch[] } {
  const lines = text.split('\n')
  const header = parseLine(lines[0] ?? '', file, 1)
  if (!isObject(header) || typeof header.vigilIntel !== 'number') {
    throw new IntelFormatError(file, 'line 1', 'missing the {"vigilIntel":…} header')
  }
  if (header.vigilIntel > RECORD_FORMAT_VERSION) {
    throw new IntelFormatError(
      file,
      'line 1',
      `format version ${header.vigilIntel} is newer than this Vigil`,
    )
  }
  if (typeof header.source !== 'string' || typeof header.version !== 'string') {
    throw new IntelFormatError(file, 'line 1', 'the header needs string "source" and "version"')
  }
  const records: IntelRecord[] = []
  const batches: HashBatch[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const r = parseLine(line, file, i + 1)
    if (isObject(r) && r.vigilBulk !== undefined) {
      batches.push(readBulk(r, file, i + 1))
      continue
    }
    const problem = checkRecord(r)
    if (problem) throw new IntelFormatError(file, `line ${i + 1}`, problem)
    records.push(r as IntelRecord)
  }
  return { header: header as unknown as VigilHeader, records, batches }
}

/** All records of a file, bulk lines expanded (for export and show; loading keeps batches packed). */
export function expandBatches(
  records: readonly IntelRecord[],
  batches: readonly HashBatch[],
): IntelRecord[] {
  const out = [...records]
  for (const b of batches) for (let i = 0; i < b.count; i++) out.push(b.record(i))
  return out
}

function readBulk(r: Record<string, unknown>, file: string, n: number): HashBatch {
  const fail = (msg: string): never => {
    throw new IntelFormatError(file, `line ${n}`, `bulk line: ${msg}`)
  }
  const type = r.type as HashType
  if (!(type in DIGEST_BYTES)) fail('type must be sha256, sha1 or md5')
  if (typeof r.values !== 'string') fail('values must be a string of hex digests')
  const template = r.template
  const problem = checkRecord(
    isObject(template) ? { ...template, kind: 'file', type, value: '' } : template,
  )
  if (problem) fail(`template: ${problem}`)
  const ids = r.ids
  if (
    ids !== undefined &&
    (!isObject(ids) || typeof ids.prefix !== 'string' || typeof ids.suffixes !== 'string')
  ) {
    fail('ids must be {prefix, suffixes}')
  }
  const batch = HashBatch.fromHex(
    type,
    r.values as string,
    template as HashTemplate,
    ids as BatchIds | undefined,
  )
  return batch ?? fail(`values must be whole ${type} digests in hex${ids ? ', one id each' : ''}`)
}

function parseLine(line: string, file: string, n: number): unknown {
  try {
    return JSON.parse(line)
  } catch (err) {
    throw new IntelFormatError(file, `line ${n}`, `invalid JSON (${(err as Error).message})`)
  }
}

function checkRecord(r: unknown): string | undefined {
  if (!isObject(r)) return 'expected a record object'
  if (!KINDS.has(r.kind as string)) return `unknown record kind '${String(r.kind)}'`
  if (typeof r.id !== 'string' || typeof r.source !== 'string')
    return 'id and source must be strings'
  if (!CONFIDENCES.includes(r.confidence as never)) return 'confidence must be high, medium or low'
  if (!Array.isArray(r.references)) return 'references must be an array'
  if (r.kind === 'file' || r.kind === 'network') {
    if (typeof r.value !== 'string' || typeof r.type !== 'string')
      return 'type and value must be strings'
    if (!isSeverity(r.severity as string)) return 'unknown severity'
    if (r.sampleSha256 !== undefined && !/^[0-9a-f]{64}$/.test(String(r.sampleSha256)))
      return 'sampleSha256 must be 64 lowercase hex digits'
  } else if (r.kind === 'advisory') {
    if (!isObject(r.osv) || typeof r.osv.id !== 'string') return 'advisory without an osv record'
  } else if (r.kind === 'yara') {
    if (typeof r.text !== 'string') return 'yara record without text'
  } else if (typeof r.name !== 'string') return 'context record without a name'
  return undefined
}
