import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import type { IntelRecord } from '../records.js'
import { importCsv, looksLikeCsv } from './csv.js'
import { parseJsonText } from './json-text.js'
import { importMisp, looksLikeMisp } from './misp.js'
import { importOsv, looksLikeOsv } from './osv.js'
import { importStix, looksLikeStix } from './stix.js'
import { type ImportResult, type IntelFormat, IntelFormatError } from './types.js'
import { expandBatches, looksLikeVigil, readVigil } from './vigil-ndjson.js'

/** Largest single intel file read (an OSV all.zip of npm is ~100 MB). */
const MAX_INTEL_FILE_BYTES = 1024 * 1024 * 1024

/** A zip archive (an OSV database dump). */
function looksLikeZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50
}

/** A YARA source: some `rule NAME` declaration followed by a `condition:` section. */
function looksLikeYara(text: string): boolean {
  const head = text.slice(0, 1 << 20)
  const rule = /(?:^|\n)[ \t]*(?:(?:private|global)[ \t]+)*rule[ \t]+[A-Za-z_]\w*/.exec(head)
  return rule !== null && /condition\s*:/.test(head.slice(rule.index))
}

/** Which format a file is, from its content alone (the name is not trusted). */
export function detectFormat(bytes: Buffer, file: string): { format: IntelFormat; json?: unknown } {
  if (looksLikeZip(bytes)) return { format: 'osv-zip' }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  if (looksLikeVigil(text)) return { format: 'vigil' }
  const first = text.trimStart()[0]
  if (first === '{' || first === '[') {
    const json = parseJsonText(text, file)
    if (looksLikeStix(json)) return { format: 'stix', json }
    if (looksLikeMisp(json)) return { format: 'misp', json }
    if (looksLikeOsv(json)) return { format: 'osv', json }
    throw new IntelFormatError(
      file,
      '$',
      'JSON that is neither OSV, a STIX 2.1 bundle nor a MISP event',
    )
  }
  if (looksLikeYara(text)) return { format: 'yara' }
  if (looksLikeCsv(text)) return { format: 'csv' }
  throw new IntelFormatError(
    file,
    '',
    'unrecognised intel format (expected OSV, STIX 2.1, MISP JSON, CSV with a type,value header, YARA, a Vigil NDJSON file or an OSV zip)',
  )
}

/** Reads one intel file in any supported format. `source` defaults to the file's base name. */
export async function readIntelBytes(
  bytes: Buffer,
  file: string,
  source = basename(file),
): Promise<ImportResult> {
  const { format, json } = detectFormat(bytes, file)
  const text = () => bytes.toString('utf8').replace(/^\uFEFF/, '')
  const digest = createHash('sha256').update(bytes).digest('hex')
  let records: IntelRecord[]
  if (format === 'vigil') {
    const { header, records: plain, batches } = readVigil(text(), file)
    const recs = expandBatches(plain, batches)
    const { vigilIntel: _, ...info } = header
    return { format, source: { ...info, records: recs.length }, records: recs, digest }
  }
  // The zip reader and the YARA engine load only for files that need them.
  if (format === 'osv-zip') {
    records = await (await import('./osv-zip.js')).importOsvZip(bytes, file, source)
  } else if (format === 'stix') records = importStix(json, file, source)
  else if (format === 'misp') records = importMisp(json, file, source)
  else if (format === 'osv') records = importOsv(json, file, source)
  else if (format === 'yara') {
    records = [(await import('./yara.js')).importYara(text(), file, source)]
  } else records = importCsv(text(), file, source)
  const version = digest.slice(0, 12)
  const date = latestDate(records)
  return {
    format,
    source: { source, version, ...(date ? { date } : {}), records: records.length },
    records,
    digest,
  }
}

function latestDate(records: IntelRecord[]): string | undefined {
  let best: string | undefined
  for (const r of records) {
    const d = r.lastSeen ?? r.firstSeen
    if (d && !Number.isNaN(Date.parse(d)) && (!best || d > best)) best = d
  }
  return best
}

/**
 * Reads a file or a directory (recursively; hidden entries skipped) into one source named after
 * it. In a directory, files of no intel format are skipped; a malformed intel file is an error.
 */
export async function readIntelPath(path: string): Promise<ImportResult> {
  const info = await stat(path)
  if (!info.isDirectory()) {
    if (info.size > MAX_INTEL_FILE_BYTES) throw new IntelFormatError(path, '', 'larger than 1 GiB')
    const result = await readIntelBytes(await readFile(path), path)
    if (!result.source.date) result.source.date = info.mtime.toISOString()
    return result
  }
  const records: IntelRecord[] = []
  const formats = new Set<IntelFormat>()
  const hash = createHash('sha256')
  const digest = createHash('sha256')
  for (const file of await listFiles(path)) {
    const bytes = await readFile(file)
    let result: ImportResult
    try {
      result = await readIntelBytes(bytes, file, basename(path))
    } catch (err) {
      if (
        err instanceof IntelFormatError &&
        err.where === '' &&
        err.detail.startsWith('unrecognised')
      )
        continue
      throw err
    }
    hash.update(bytes)
    digest.update(`${relative(path, file)}\0${result.digest}\n`)
    formats.add(result.format)
    for (const r of result.records) {
      r.source = basename(path)
      records.push(r)
    }
  }
  const date = latestDate(records) ?? info.mtime.toISOString()
  return {
    format: [...formats][0] ?? 'vigil',
    source: {
      source: basename(path),
      version: hash.digest('hex').slice(0, 12),
      date,
      records: records.length,
    },
    records,
    digest: digest.digest('hex'),
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const e of entries) {
    if (e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await listFiles(p)))
    else if (e.isFile()) out.push(p)
  }
  return out
}
