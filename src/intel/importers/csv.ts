import { isSeverity } from '../../core/severity.js'
import { CONFIDENCES, type Confidence } from '../../core/types.js'
import type { IntelRecord } from '../records.js'
import { indicatorType, makeIndicator, normaliseValue } from './indicator.js'
import { IntelFormatError } from './types.js'

/** One CSV record with the 1-based line it starts on. */
export interface CsvRow {
  line: number
  fields: string[]
}

/** RFC 4180: comma-separated, `"` quoting with `""` escapes, CRLF or LF, newlines inside quotes. */
export function parseCsv(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let rowLine = 1
  let quoted = false
  let afterQuote = false
  const endRow = () => {
    fields.push(field)
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields })
    fields = []
    field = ''
    afterQuote = false
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
          afterQuote = true
        }
      } else {
        if (c === '\n') line++
        field += c
      }
    } else if (c === '"') {
      if (field !== '' || afterQuote) {
        throw new IntelFormatError(file, `line ${line}`, 'quote inside an unquoted field')
      }
      quoted = true
    } else if (c === ',') {
      fields.push(field)
      field = ''
      afterQuote = false
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else {
      if (afterQuote) throw new IntelFormatError(file, `line ${line}`, 'text after a closing quote')
      field += c
    }
  }
  if (quoted) throw new IntelFormatError(file, `line ${rowLine}`, 'unterminated quoted field')
  endRow()
  return rows
}

const KNOWN_COLUMNS = [
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
  'first_seen',
  'last_seen',
  'sample_sha256',
] as const
type Column = (typeof KNOWN_COLUMNS)[number]

/** Looks like our CSV: a header line naming at least `type` and `value`. */
export function looksLikeCsv(text: string): boolean {
  const first = text.slice(0, 512).split(/\r?\n/, 1)[0] ?? ''
  const cols = first.split(',').map((c) => c.trim().toLowerCase())
  return cols.includes('type') && cols.includes('value')
}

/**
 * CSV indicators: header `type,value,severity,description,reference` (required: type and value;
 * optional extra columns: confidence, id, campaign, actor, malware, platform, first_seen, last_seen,
 * and sample_sha256 — for a sha1/md5 row, the SHA-256 of the same sample).
 */
export function importCsv(text: string, file: string, source: string): IntelRecord[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), file)
  const header = rows.shift()
  if (!header) throw new IntelFormatError(file, 'line 1', 'empty file: a header line is required')
  const index = new Map<Column, number>()
  header.fields.forEach((name, i) => {
    const col = name.trim().toLowerCase() as Column
    if ((KNOWN_COLUMNS as readonly string[]).includes(col)) index.set(col, i)
  })
  if (!index.has('type') || !index.has('value')) {
    throw new IntelFormatError(
      file,
      'line 1',
      "the header must name the columns 'type' and 'value'",
    )
  }
  const records: IntelRecord[] = []
  for (const row of rows) {
    const get = (c: Column): string | undefined => {
      const i = index.get(c)
      const v = i === undefined ? undefined : row.fields[i]?.trim()
      return v ? v : undefined
    }
    const where = `line ${row.line}`
    const typeName = get('type') ?? ''
    const type = indicatorType(typeName)
    if (!type) throw new IntelFormatError(file, where, `unknown indicator type '${typeName}'`)
    const norm = normaliseValue(type, get('value') ?? '')
    if ('error' in norm) throw new IntelFormatError(file, where, norm.error)
    const severity = (get('severity') ?? 'medium').toLowerCase()
    if (!isSeverity(severity))
      throw new IntelFormatError(file, where, `unknown severity '${severity}'`)
    const confidence = (get('confidence') ?? 'medium').toLowerCase() as Confidence
    if (!CONFIDENCES.includes(confidence)) {
      throw new IntelFormatError(file, where, `unknown confidence '${confidence}'`)
    }
    const ref = get('reference')
    const prov = {
      id: get('id') ?? `${source}#${row.line}`,
      source,
      confidence,
      references: ref ? ref.split(/\s+;\s+|\s+/).filter(Boolean) : [],
      ...opt('description', get('description')),
      ...opt('campaign', get('campaign')),
      ...opt('actor', get('actor')),
      ...opt('malware', get('malware')),
      ...opt('firstSeen', get('first_seen')),
      ...opt('lastSeen', get('last_seen')),
    }
    const platform = get('platform')
    const rec = makeIndicator(type, norm.value, severity, prov, platform ? { platform } : {})
    const sample = get('sample_sha256')
    if (sample !== undefined) setSample(rec, sample, file, where)
    records.push(rec)
  }
  return records
}

/** The `sample_sha256` column: the SHA-256 of the sample a sha1/md5 row describes. */
function setSample(rec: IntelRecord, sample: string, file: string, where: string): void {
  if (rec.kind !== 'file' || (rec.type !== 'sha1' && rec.type !== 'md5'))
    throw new IntelFormatError(file, where, 'sample_sha256 is for sha1 and md5 rows only')
  const sha = normaliseValue('sha256', sample)
  if ('error' in sha) throw new IntelFormatError(file, where, `sample_sha256: ${sha.error}`)
  rec.sampleSha256 = sha.value
}

function opt<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string }
}
