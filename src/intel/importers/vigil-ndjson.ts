import { isSeverity } from '../../core/severity.js'
import type { IntelSourceInfo } from '../../core/types.js'
import { CONFIDENCES } from '../../core/types.js'
import type { IntelRecord } from '../records.js'
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

/** Serialises a source: the header line, then one record per line. */
export function writeVigil(info: IntelSourceInfo, records: readonly IntelRecord[]): string {
  const header: VigilHeader = {
    vigilIntel: RECORD_FORMAT_VERSION,
    ...info,
    records: records.length,
  }
  const lines = [JSON.stringify(header)]
  for (const r of records) lines.push(JSON.stringify(r))
  return `${lines.join('\n')}\n`
}

const KINDS = new Set(['file', 'network', 'advisory', 'yara', 'context'])

/** Parses a Vigil intel file; every record is checked for the fields the index relies on. */
export function readVigil(
  text: string,
  file: string,
): { header: VigilHeader; records: IntelRecord[] } {
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
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const r = parseLine(line, file, i + 1)
    const problem = checkRecord(r)
    if (problem) throw new IntelFormatError(file, `line ${i + 1}`, problem)
    records.push(r as IntelRecord)
  }
  return { header: header as unknown as VigilHeader, records }
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
  } else if (r.kind === 'advisory') {
    if (!isObject(r.osv) || typeof r.osv.id !== 'string') return 'advisory without an osv record'
  } else if (r.kind === 'yara') {
    if (typeof r.text !== 'string') return 'yara record without text'
  } else if (typeof r.name !== 'string') return 'context record without a name'
  return undefined
}
