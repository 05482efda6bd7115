import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import YAML from 'yaml'
import { isSeverity } from '../core/severity.js'
import type { Confidence, IntelSourceInfo, Severity } from '../core/types.js'
import {
  type IndicatorType,
  linkSample,
  makeIndicator,
  normaliseValue,
} from './importers/indicator.js'
import { importOsv } from './importers/osv.js'
import { severityFor } from './importers/types.js'
import { writeVigil } from './importers/vigil-ndjson.js'
import type { IntelRecord, Provenance } from './records.js'

/**
 * Builds the bundled pack from its readable source (`intel/source/*.yaml`, one file per incident,
 * plus `pack.yaml`). Confidence tags map as: P, V → high; S → medium; U → low; a record's severity
 * is then capped by its confidence (see severityFor), so only P/V values can block.
 */
const CONFIDENCE: Record<string, Confidence> = { P: 'high', V: 'high', S: 'medium', U: 'low' }

type Obj = Record<string, unknown>

export async function buildPack(sourceDir: string): Promise<string> {
  const meta = YAML.parse(await readFile(join(sourceDir, 'pack.yaml'), 'utf8')) as Obj
  const info: IntelSourceInfo = {
    source: String(meta.source),
    version: String(meta.version),
    date: String(meta.date),
  }
  const files = (await readdir(sourceDir))
    .filter((f) => f.endsWith('.yaml') && f !== 'pack.yaml')
    .sort()
  const records: IntelRecord[] = []
  for (const f of files) {
    const doc = YAML.parse(await readFile(join(sourceDir, f), 'utf8')) as Obj
    records.push(...incidentRecords(doc, f, info.source))
  }
  const ids = new Set<string>()
  for (const r of records) {
    if (ids.has(r.id)) throw new Error(`duplicate record id ${r.id}`)
    ids.add(r.id)
  }
  return writeVigil(info, records)
}

function fail(file: string, where: string, msg: string): never {
  throw new Error(`${file}: ${where}: ${msg}`)
}

function confidenceOf(conf: unknown, file: string, where: string): Confidence {
  const c = CONFIDENCE[String(conf)]
  return c ?? fail(file, where, `conf must be P, V, S or U, not '${String(conf)}'`)
}

/** `github:owner/repo@commit:path` → a GitHub URL a reviewer can open; URLs stay as they are. */
export function citationUrl(cite: string): string {
  const m = /^github:([^/@]+\/[^@:]+)(?:@([0-9a-f]+))?:(.+)$/.exec(cite.trim())
  if (!m) return cite.trim()
  return `https://github.com/${m[1]}/blob/${m[2] ?? 'HEAD'}/${m[3]!.split('/').map(encodeURIComponent).join('/')}`
}

function citations(source: unknown): string[] {
  return String(source ?? '')
    .split(/\s+;\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(citationUrl)
}

function incidentRecords(doc: Obj, file: string, source: string): IntelRecord[] {
  const incident = String(doc.id ?? fail(file, 'id', 'missing'))
  const base = (entry: Obj, where: string, id: string): Provenance => {
    const prov: Provenance = {
      id: `${source}/${incident}/${id}`,
      source,
      confidence: confidenceOf(entry.conf, file, where),
      references: citations(entry.source),
      firstSeen: String(doc.date),
    }
    for (const key of ['campaign', 'actor', 'malware'] as const) {
      const v = key in entry ? entry[key] : doc[key]
      if (typeof v === 'string' && v) prov[key] = v
    }
    const description = [entry.name, entry.note]
      .filter((x) => typeof x === 'string' && x)
      .join(': ')
    prov.description = `${doc.title}${description ? ` — ${description}` : ''}`
    return prov
  }
  const out: IntelRecord[] = []
  const list = (key: string) => (Array.isArray(doc[key]) ? (doc[key] as Obj[]) : [])
  list('files').forEach((f, i) => {
    const sample: IntelRecord[] = []
    for (const kind of ['sha256', 'sha1', 'md5'] as const) {
      if (f[kind] == null) continue
      sample.push(indicator(kind, String(f[kind]), f, 'critical', `files[${i}].${kind}`))
    }
    // The hashes of one entry are of one sample: SHA-1/MD5 records carry its SHA-256.
    linkSample(sample)
    out.push(...sample)
  })
  for (const key of ['names', 'paths', 'network'] as const) {
    list(key).forEach((n, i) => {
      const def = key === 'network' ? 'high' : 'medium'
      out.push(indicator(String(n.type) as IndicatorType, String(n.value), n, def, `${key}[${i}]`))
    })
  }
  list('advisories').forEach((a, i) => {
    const where = `advisories[${i}]`
    const [rec] = importOsv(a.osv, `${file}: ${where}.osv`, source)
    if (!rec) fail(file, where, 'withdrawn advisory in the pack')
    for (const aff of rec.osv.affected ?? []) {
      if (aff.versions?.some((v) => typeof v !== 'string'))
        fail(file, where, 'versions must be strings (quote them)')
    }
    rec.confidence = confidenceOf(a.conf, file, where)
    rec.references = [...rec.references, ...citations(a.source)]
    const ctx = base(a, where, rec.id)
    for (const key of ['campaign', 'actor', 'malware'] as const) if (ctx[key]) rec[key] = ctx[key]
    out.push(rec)
  })
  return out

  function indicator(
    type: IndicatorType,
    raw: string,
    entry: Obj,
    def: Severity,
    where: string,
  ): IntelRecord {
    const norm = normaliseValue(type, raw)
    if ('error' in norm) fail(file, where, norm.error)
    const wanted = entry.severity ?? def
    if (typeof wanted !== 'string' || !isSeverity(wanted))
      fail(file, where, `bad severity '${String(wanted)}'`)
    const short =
      type === 'sha256' || type === 'sha1' || type === 'md5' ? norm.value.slice(0, 16) : norm.value
    const prov = base(entry, where, `${type}-${short}`)
    const platform = typeof entry.platform === 'string' ? entry.platform : undefined
    return makeIndicator(
      type,
      norm.value,
      severityFor(prov.confidence, wanted),
      prov,
      platform ? { platform } : {},
    )
  }
}
