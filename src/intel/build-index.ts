import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import { FILE_TYPES, type FileType } from '../core/artifact.js'
import type { IntelSourceInfo } from '../core/types.js'
import type { HashBatch } from './hash-batch.js'
import { expandBatches } from './importers/vigil-ndjson.js'
import type { HashKind, Intel } from './intel.js'
import { type Cidr, ipInCidr, normalizeIp, parseCidr } from './ip.js'
import { foreignToPlatform } from './platform.js'
import type { FileIndicator, IntelRecord, NetworkIndicator } from './records.js'

/** Bump when the way records are matched changes, so cached results keyed on intel go stale. */
const MATCHING_VERSION = 'matching-2'

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const EMPTY: readonly never[] = Object.freeze([])

/** What an Intel was built from: snapshots for worker threads are made of this (snapshot.ts). */
export interface IntelInputs {
  records: readonly IntelRecord[]
  sources: readonly IntelSourceInfo[]
  batches: readonly HashBatch[]
  contentDigest: string
}

const INPUTS = new WeakMap<Intel, IntelInputs>()

/** The inputs of an Intel made by buildIntel(), or undefined for any other implementation. */
export function intelInputs(intel: Intel): IntelInputs | undefined {
  return INPUTS.get(intel)
}

export interface BuildIntelOptions {
  /**
   * Digest of the sources' contents, when the caller has one cheaply (loadIntel: the store's and
   * the files' SHA-256); without it the records and batches themselves are hashed.
   */
  contentDigest?: string
}

/** Builds the in-memory lookup structures over a set of records. */
export function buildIntel(
  records: readonly IntelRecord[],
  sources: readonly IntelSourceInfo[],
  batches: readonly HashBatch[] = [],
  opts: BuildIntelOptions = {},
): Intel {
  const hashes = new Map<string, FileIndicator[]>()
  const samples = new Map<string, FileIndicator[]>()
  const weak = new Map<string, { kind: HashKind; platform: string | undefined }>()
  const addWeak = (kind: HashKind, platform: string | undefined) =>
    weak.set(`${kind}\0${platform ?? ''}`, { kind, platform })
  const names = new Map<string, FileIndicator[]>()
  const pathSuffixes: FileIndicator[] = []
  const domains = new Map<string, NetworkIndicator[]>()
  const urlsByHost = new Map<string, NetworkIndicator[]>()
  const ips = new Map<string, NetworkIndicator[]>()
  const cidrs: { cidr: Cidr; ind: NetworkIndicator }[] = []
  for (const b of batches) addWeak(b.type, b.template.platform)
  let all: readonly IntelRecord[] | undefined
  for (const r of records) {
    if (r.kind === 'file') {
      if (r.type === 'sha256' || r.type === 'sha1' || r.type === 'md5') {
        push(hashes, `${r.type}:${r.value.toLowerCase()}`, r)
        if (r.type !== 'sha256' && r.sampleSha256) push(samples, r.sampleSha256.toLowerCase(), r)
        else if (r.type !== 'sha256') addWeak(r.type, r.platform)
      } else if (r.type === 'filename') push(names, r.value.toLowerCase(), r)
      else pathSuffixes.push(r)
    } else if (r.kind === 'network') {
      const v = r.value.toLowerCase()
      if (r.type === 'domain') push(domains, v.replace(/\.$/, ''), r)
      else if (r.type === 'url') push(urlsByHost, urlHost(v), r)
      else if (r.type === 'ip') push(ips, normalizeIp(v), r)
      else {
        const cidr = parseCidr(v)
        if (cidr) cidrs.push({ cidr, ind: r })
      }
    }
  }
  const kindsByType = hashKindsByType([...weak.values()])
  const union = new Set<HashKind>([...kindsByType.values()].flatMap((k) => [...k]))
  const digest = opts.contentDigest ?? contentDigest(records, sources, batches)
  const fingerprint = createHash('sha256')
    .update(`${MATCHING_VERSION}\0${digest}\0`)
    .update(JSON.stringify([...kindsByType].map(([t, k]) => [t, [...k]])))
    .digest('hex')
  const intel: Intel = {
    sources,
    fingerprint,
    hashKinds: union,
    hashKindsFor: (type) => kindsByType.get(type) ?? union,
    /** Bulk hash batches are expanded on first access only (export, show). */
    get records() {
      all ??= batches.length ? expandBatches(records, batches) : records
      return all
    },
    advisories: records.filter((r) => r.kind === 'advisory'),
    yara: records.filter((r) => r.kind === 'yara'),
    lookupHash(kind, hex) {
      const lower = hex.toLowerCase()
      const found = hashes.get(`${kind}:${lower}`) ?? EMPTY
      const sameSample = kind === 'sha256' ? samples.get(lower) : undefined
      if (batches.length === 0 && !sameSample) return found
      const out = sameSample ? [...found, ...sameSample] : [...found]
      for (const b of batches) {
        if (b.type !== kind) continue
        const i = b.find(lower)
        if (i >= 0) out.push(b.record(i))
      }
      return out.length ? out : EMPTY
    },
    matchFile(path) {
      const lower = path.toLowerCase()
      const base = lower.slice(Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('!')) + 1)
      const byName = names.get(base) ?? EMPTY
      const byPath = pathSuffixes.filter((p) => lower.endsWith(p.value.toLowerCase()))
      return byPath.length ? [...byName, ...byPath] : byName
    },
    matchDomain(host) {
      const out: NetworkIndicator[] = []
      let h = host.toLowerCase().replace(/\.$/, '')
      for (;;) {
        const hit = domains.get(h)
        if (hit) out.push(...hit)
        const dot = h.indexOf('.')
        if (dot < 0) break
        h = h.slice(dot + 1)
      }
      return out
    },
    matchUrl(url) {
      const lower = url.toLowerCase()
      const candidates = urlsByHost.get(urlHost(lower)) ?? EMPTY
      const rest = stripScheme(lower)
      return candidates.filter((c) => rest.startsWith(stripScheme(c.value.toLowerCase())))
    },
    matchIp(ip) {
      if (!isIP(ip)) return EMPTY
      const n = normalizeIp(ip)
      const exact = ips.get(n) ?? EMPTY
      const inRange = cidrs.filter((c) => ipInCidr(n, c.cidr)).map((c) => c.ind)
      return inRange.length ? [...exact, ...inRange] : exact
    },
  }
  INPUTS.set(intel, { records, sources, batches, contentDigest: digest })
  return intel
}

/** Per file type: SHA-256, plus each weak kind some indicator needs for files of that type. */
function hashKindsByType(
  weak: readonly { kind: HashKind; platform: string | undefined }[],
): Map<FileType, ReadonlySet<HashKind>> {
  const out = new Map<FileType, ReadonlySet<HashKind>>()
  for (const type of FILE_TYPES) {
    const kinds = new Set<HashKind>(['sha256'])
    for (const w of weak) if (!foreignToPlatform(w.platform, type)) kinds.add(w.kind)
    out.set(type, kinds)
  }
  return out
}

/** SHA-256 over the sources, the records and the batches' packed digests (no expansion). */
function contentDigest(
  records: readonly IntelRecord[],
  sources: readonly IntelSourceInfo[],
  batches: readonly HashBatch[],
): string {
  const h = createHash('sha256').update(JSON.stringify(sources)).update(JSON.stringify(records))
  for (const b of batches) {
    const { words, table: _, ...rest } = b.snapshot()
    h.update(JSON.stringify(rest)).update(
      new Uint8Array(words.buffer, words.byteOffset, words.byteLength),
    )
  }
  return h.digest('hex')
}

function stripScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
}

/** Host part of a URL, with or without scheme, lowercase, without port. */
export function urlHost(url: string): string {
  const rest = stripScheme(url.toLowerCase())
  const end = rest.search(/[/?#]/)
  const hostPort = end < 0 ? rest : rest.slice(0, end)
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'))
  return hostPort.replace(/:\d+$/, '')
}
