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

interface WeakNeed {
  kind: HashKind
  platform: string | undefined
}

/** The maps lookups go through, filled in one pass over the records. */
class Index {
  readonly hashes = new Map<string, FileIndicator[]>()
  /** SHA-1/MD5 indicators by the SHA-256 of their sample. */
  readonly samples = new Map<string, FileIndicator[]>()
  /** Weak kinds that must be computed, with the platform that limits them (deduplicated). */
  readonly weak = new Map<string, WeakNeed>()
  readonly names = new Map<string, FileIndicator[]>()
  readonly pathSuffixes: FileIndicator[] = []
  readonly domains = new Map<string, NetworkIndicator[]>()
  readonly urlsByHost = new Map<string, NetworkIndicator[]>()
  readonly ips = new Map<string, NetworkIndicator[]>()
  readonly cidrs: { cidr: Cidr; ind: NetworkIndicator }[] = []

  constructor(records: readonly IntelRecord[], batches: readonly HashBatch[]) {
    for (const b of batches) this.needWeak(b.type, b.template.platform)
    for (const r of records) {
      if (r.kind === 'file') this.addFile(r)
      else if (r.kind === 'network') this.addNetwork(r)
    }
  }

  private needWeak(kind: HashKind, platform: string | undefined): void {
    this.weak.set(`${kind}\0${platform ?? ''}`, { kind, platform })
  }

  private addFile(r: FileIndicator): void {
    if (r.type === 'filename') push(this.names, r.value.toLowerCase(), r)
    else if (r.type === 'path') this.pathSuffixes.push(r)
    else {
      push(this.hashes, `${r.type}:${r.value.toLowerCase()}`, r)
      if (r.type === 'sha256') return
      if (r.sampleSha256) push(this.samples, r.sampleSha256.toLowerCase(), r)
      else this.needWeak(r.type, r.platform)
    }
  }

  private addNetwork(r: NetworkIndicator): void {
    const v = r.value.toLowerCase()
    if (r.type === 'domain') push(this.domains, v.replace(/\.$/, ''), r)
    else if (r.type === 'url') push(this.urlsByHost, urlHost(v), r)
    else if (r.type === 'ip') push(this.ips, normalizeIp(v), r)
    else {
      const cidr = parseCidr(v)
      if (cidr) this.cidrs.push({ cidr, ind: r })
    }
  }
}

/** Builds the in-memory lookup structures over a set of records. */
export function buildIntel(
  records: readonly IntelRecord[],
  sources: readonly IntelSourceInfo[],
  batches: readonly HashBatch[] = [],
  opts: BuildIntelOptions = {},
): Intel {
  const { hashes, samples, weak, names, pathSuffixes, domains, urlsByHost, ips, cidrs } = new Index(
    records,
    batches,
  )
  let all: readonly IntelRecord[] | undefined
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
function hashKindsByType(weak: readonly WeakNeed[]): Map<FileType, ReadonlySet<HashKind>> {
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
