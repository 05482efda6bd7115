import type { AdvisoryRecord, OsvRecord } from '../records.js'
import { isObject, strings } from './json-text.js'
import { IntelFormatError } from './types.js'

const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT']

/** An OSV record: an object with a string `id` and at least one of the OSV fields. */
export function looksLikeOsv(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every(looksLikeOsv)
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    ('affected' in v || 'modified' in v || 'schema_version' in v || 'withdrawn' in v)
  )
}

/**
 * OSV records (https://ossf.github.io/osv-schema/): one record or an array. Withdrawn records are
 * dropped; everything else is checked for the shape the advisory layer relies on.
 */
export function importOsv(value: unknown, file: string, source: string): AdvisoryRecord[] {
  const list = Array.isArray(value) ? value : [value]
  const out: AdvisoryRecord[] = []
  list.forEach((item, i) => {
    const path = Array.isArray(value) ? `$[${i}]` : '$'
    const osv = checkOsv(item, file, path)
    if (osv.withdrawn) return
    out.push(osvToRecord(osv, source))
  })
  return out
}

export function osvToRecord(osv: OsvRecord, source: string): AdvisoryRecord {
  const rec: AdvisoryRecord = {
    kind: 'advisory',
    id: osv.id,
    source,
    confidence: 'high',
    references: (osv.references ?? []).map((r) => r.url),
    osv,
  }
  if (osv.published) rec.firstSeen = osv.published
  if (osv.modified) rec.lastSeen = osv.modified
  if (osv.summary) rec.description = osv.summary
  return rec
}

function checkOsv(v: unknown, file: string, path: string): OsvRecord {
  const fail = (where: string, msg: string): never => {
    throw new IntelFormatError(file, where, msg)
  }
  if (!isObject(v)) return fail(path, 'expected an OSV record object')
  if (typeof v.id !== 'string' || !v.id) return fail(`${path}.id`, 'expected a non-empty string')
  for (const key of ['modified', 'published', 'withdrawn', 'summary', 'details']) {
    if (key in v && typeof v[key] !== 'string') fail(`${path}.${key}`, 'expected a string')
  }
  for (const key of ['aliases', 'related']) {
    if (key in v && (!Array.isArray(v[key]) || strings(v[key]).length !== (v[key] as []).length)) {
      fail(`${path}.${key}`, 'expected an array of strings')
    }
  }
  if ('references' in v) {
    if (!Array.isArray(v.references)) fail(`${path}.references`, 'expected an array')
    ;(v.references as unknown[]).forEach((r, i) => {
      if (!isObject(r) || typeof r.url !== 'string') {
        fail(`${path}.references[${i}].url`, 'expected a string')
      }
    })
  }
  if ('affected' in v) {
    if (!Array.isArray(v.affected)) fail(`${path}.affected`, 'expected an array')
    for (const [i, a] of (v.affected as unknown[]).entries()) {
      checkAffected(a, `${path}.affected[${i}]`, fail)
    }
  }
  return v as unknown as OsvRecord
}

function checkAffected(a: unknown, path: string, fail: (w: string, m: string) => never): void {
  if (!isObject(a)) fail(path, 'expected an object')
  const aff = a as Record<string, unknown>
  if ('package' in aff) {
    const p = aff.package
    if (!isObject(p) || typeof p.ecosystem !== 'string' || typeof p.name !== 'string') {
      fail(`${path}.package`, 'expected { ecosystem: string, name: string }')
    }
  }
  if ('versions' in aff && !Array.isArray(aff.versions))
    fail(`${path}.versions`, 'expected an array')
  if (!('ranges' in aff)) return
  if (!Array.isArray(aff.ranges)) fail(`${path}.ranges`, 'expected an array')
  for (const [j, r] of (aff.ranges as unknown[]).entries()) {
    const rp = `${path}.ranges[${j}]`
    if (!isObject(r)) fail(rp, 'expected an object')
    const range = r as Record<string, unknown>
    if (!RANGE_TYPES.includes(range.type as string)) {
      fail(`${rp}.type`, 'expected SEMVER, ECOSYSTEM or GIT')
    }
    if (!Array.isArray(range.events) || range.events.length === 0) {
      fail(`${rp}.events`, 'expected events')
    }
    for (const [k, e] of (range.events as unknown[]).entries()) {
      const ok =
        isObject(e) &&
        Object.keys(e).length === 1 &&
        ['introduced', 'fixed', 'last_affected', 'limit'].includes(Object.keys(e)[0]!) &&
        typeof Object.values(e)[0] === 'string'
      if (!ok) fail(`${rp}.events[${k}]`, 'expected one of introduced/fixed/last_affected/limit')
    }
  }
}
