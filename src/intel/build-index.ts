import { isIP } from 'node:net'
import type { IntelSourceInfo } from '../core/types.js'
import type { HashBatch } from './hash-batch.js'
import { expandBatches } from './importers/vigil-ndjson.js'
import type { Intel } from './intel.js'
import { type Cidr, ipInCidr, normalizeIp, parseCidr } from './ip.js'
import type { FileIndicator, IntelRecord, NetworkIndicator } from './records.js'

type HashKind = 'sha256' | 'sha1' | 'md5'

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const EMPTY: readonly never[] = Object.freeze([])

/** Builds the in-memory lookup structures over a set of records. */
export function buildIntel(
  records: readonly IntelRecord[],
  sources: readonly IntelSourceInfo[],
  batches: readonly HashBatch[] = [],
): Intel {
  const hashes = new Map<string, FileIndicator[]>()
  const names = new Map<string, FileIndicator[]>()
  const pathSuffixes: FileIndicator[] = []
  const domains = new Map<string, NetworkIndicator[]>()
  const urlsByHost = new Map<string, NetworkIndicator[]>()
  const ips = new Map<string, NetworkIndicator[]>()
  const cidrs: { cidr: Cidr; ind: NetworkIndicator }[] = []
  const hashKinds = new Set<HashKind>(['sha256'])
  for (const b of batches) hashKinds.add(b.type)
  let all: readonly IntelRecord[] | undefined
  for (const r of records) {
    if (r.kind === 'file') {
      if (r.type === 'sha256' || r.type === 'sha1' || r.type === 'md5') {
        hashKinds.add(r.type)
        push(hashes, `${r.type}:${r.value.toLowerCase()}`, r)
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
  return {
    sources,
    hashKinds,
    /** Bulk hash batches are expanded on first access only (export, show, cache fingerprints). */
    get records() {
      all ??= batches.length ? expandBatches(records, batches) : records
      return all
    },
    advisories: records.filter((r) => r.kind === 'advisory'),
    yara: records.filter((r) => r.kind === 'yara'),
    lookupHash(kind, hex) {
      const lower = hex.toLowerCase()
      const found = hashes.get(`${kind}:${lower}`) ?? EMPTY
      if (batches.length === 0) return found
      const out = [...found]
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
