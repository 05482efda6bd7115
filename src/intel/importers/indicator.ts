import { isIP } from 'node:net'
import type { Severity } from '../../core/types.js'
import { parseCidr } from '../ip.js'
import type {
  FileIndicator,
  FileIndicatorType,
  IntelRecord,
  NetworkIndicator,
  NetworkIndicatorType,
  Provenance,
} from '../records.js'

export type IndicatorType = FileIndicatorType | NetworkIndicatorType

const HASH_LENGTH = { sha256: 64, sha1: 40, md5: 32 } as const

/** Names other formats use for our indicator types. */
const ALIASES: Record<string, IndicatorType> = {
  sha256: 'sha256',
  'sha-256': 'sha256',
  sha1: 'sha1',
  'sha-1': 'sha1',
  md5: 'md5',
  filename: 'filename',
  'file-name': 'filename',
  name: 'filename',
  path: 'path',
  'file-path': 'path',
  domain: 'domain',
  hostname: 'domain',
  'domain-name': 'domain',
  url: 'url',
  uri: 'url',
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  'ip-dst': 'ip',
  'ip-src': 'ip',
  'ipv4-addr': 'ip',
  'ipv6-addr': 'ip',
  cidr: 'cidr',
}

export function indicatorType(name: string): IndicatorType | undefined {
  return ALIASES[name.trim().toLowerCase()]
}

/**
 * Validates and normalises one indicator value. Returns an error sentence when the value is not a
 * well-formed value of that type (so importers can name the line or path).
 */
export function normaliseValue(
  type: IndicatorType,
  raw: string,
): { value: string } | { error: string } {
  const v = raw.trim()
  if (type === 'sha256' || type === 'sha1' || type === 'md5') {
    const hex = v.toLowerCase()
    const want = HASH_LENGTH[type]
    if (hex.length !== want || !/^[0-9a-f]+$/.test(hex)) {
      return { error: `${type} must be ${want} hex digits, got '${v.slice(0, 80)}'` }
    }
    return { value: hex }
  }
  if (type === 'filename' || type === 'path') {
    if (!v || v.length > 4096) return { error: `empty or over-long ${type}` }
    return { value: v.replaceAll('\\', '/') }
  }
  if (type === 'domain') {
    const d = v.toLowerCase().replace(/\.$/, '')
    if (!/^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9-]{1,63}$/.test(d)) {
      return { error: `not a domain name: '${v.slice(0, 80)}'` }
    }
    return { value: d }
  }
  if (type === 'url') {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(v) && !/^[^\s/:]+\.[^\s/:]+(:\d+)?\//.test(v)) {
      return { error: `not a URL: '${v.slice(0, 80)}'` }
    }
    return { value: v }
  }
  if (type === 'ip') {
    if (v.includes('/'))
      return parseCidr(v) ? { value: v.toLowerCase() } : { error: `bad CIDR '${v}'` }
    return isIP(v)
      ? { value: v.toLowerCase() }
      : { error: `not an IP address: '${v.slice(0, 80)}'` }
  }
  return parseCidr(v) ? { value: v.toLowerCase() } : { error: `bad CIDR '${v.slice(0, 80)}'` }
}

/** Builds a file or network indicator from a validated value (an `ip` with a prefix becomes `cidr`). */
export function makeIndicator(
  type: IndicatorType,
  value: string,
  severity: Severity,
  prov: Provenance,
  extra: { platform?: string; port?: number } = {},
): FileIndicator | NetworkIndicator {
  if (type === 'ip' && value.includes('/')) type = 'cidr'
  if (
    type === 'sha256' ||
    type === 'sha1' ||
    type === 'md5' ||
    type === 'filename' ||
    type === 'path'
  ) {
    const ind: FileIndicator = { kind: 'file', type, value, severity, ...prov }
    if (extra.platform) ind.platform = extra.platform
    return ind
  }
  const ind: NetworkIndicator = { kind: 'network', type, value, severity, ...prov }
  if (extra.port !== undefined) ind.port = extra.port
  return ind
}

/**
 * Records that describe one sample (a pack entry, a STIX observation over one `file`, a MISP file
 * object): each SHA-1 / MD5 record gets the SHA-256 among them as `sampleSha256`. Only when there
 * is exactly one SHA-256 and at most one value of each weak kind; more would mean several files.
 */
export function linkSample(records: readonly IntelRecord[]): void {
  const hashes = records.filter(
    (r): r is FileIndicator =>
      r.kind === 'file' && (r.type === 'sha256' || r.type === 'sha1' || r.type === 'md5'),
  )
  const values = (type: FileIndicatorType) =>
    new Set(hashes.filter((r) => r.type === type).map((r) => r.value))
  const sample = values('sha256')
  if (sample.size !== 1 || values('sha1').size > 1 || values('md5').size > 1) return
  const [sha256] = sample
  for (const r of hashes) if (r.type !== 'sha256') r.sampleSha256 = sha256
}
