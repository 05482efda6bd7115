import { ByteKeyTable } from './byte-table.js'
import type { IocCollector } from './detect/ioc-collector.js'
import { parseUint } from './input/bytes.js'
import { IpPairIndex, parseIpv4 } from './ip-pair-index.js'
import { ChunkPool, ConnBlock, Pair, type PairKind } from './series.js'
import type { NetSink } from './sink.js'

export interface Malformed {
  file: number
  line: number
  message: string
}

export interface AlertGroup {
  signature: string
  sid: number
  severity: number
  category: string
  src: string
  dst: string
  dport: number
  count: number
  first: number
  last: number
  locations: { file: number; line: number }[]
}

/** Malformed lines kept with their location (the rest are only counted). */
const MALFORMED_KEEP = 200
const LOCATIONS_KEEP = 10

/**
 * The sink every reader feeds: groups records into per-pair series (memory grows with distinct
 * pairs, not records), joins HTTP/TLS records to their connection by uid so the connection's bytes
 * count for the named destination, and hands names, URLs and certificates to the IOC collector.
 */
export class Aggregator implements NetSink {
  readonly pairs: Record<PairKind, Map<string, Pair>> = {
    ip: new Map(),
    sni: new Map(),
    url: new Map(),
    dns: new Map(),
  }
  /** IP pairs by the raw bytes of source, destination and port (conn.log hot path, not IPv4). */
  private readonly ipBytes = new ByteKeyTable<Pair>()
  /** IPv4 pairs by numeric key → dense id (hot path), with their records buffered in a block. */
  private readonly ipv4 = new IpPairIndex()
  private readonly ipv4Pairs: Pair[] = []
  private readonly block = new ConnBlock()
  private readonly pool = new ChunkPool()
  private counts = new Int32Array(64)
  private order = new Int32Array(0)
  /** uid → the named pair it belongs to (HTTP/TLS before their conn records). */
  private readonly uids = new Map<string, Pair>()
  readonly alerts = new Map<string, AlertGroup>()
  readonly malformedKept: Malformed[] = []
  malformedCount = 0
  readonly records = { conn: 0, dns: 0, http: 0, tls: 0, cert: 0, alert: 0, untimed: 0 }
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY

  constructor(
    private readonly ioc: IocCollector,
    /** Path segments of a URL kept in URL-level pairs (`host/seg1`). */
    private readonly urlDepth = 1,
  ) {}

  private pair(kind: PairKind, src: string, dst: string): Pair {
    const map = this.pairs[kind]
    const key = `${src}>${dst}`
    let p = map.get(key)
    if (!p) {
      p = new Pair(kind, src, dst, this.pool)
      map.set(key, p)
    }
    return p
  }

  private time(ts: number): void {
    if (!Number.isFinite(ts)) {
      this.records.untimed++
      return
    }
    if (ts < this.min) this.min = ts
    if (ts > this.max) this.max = ts
  }

  conn(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    _proto: string,
    bytes: number,
    duration: number,
    uid: string,
    file: number,
    line: number,
  ): void {
    this.records.conn++
    this.time(ts)
    const named = uid ? this.uids.get(uid) : undefined
    if (named) {
      named.addBytes(bytes)
      named.duration += duration
      return
    }
    const p = this.pair('ip', src, `${dst}:${dport}`)
    p.addTime(ts, file, line)
    p.addBytes(bytes)
    p.duration += duration
  }

  connRaw(
    buf: Buffer,
    srcS: number,
    srcE: number,
    dstS: number,
    dstE: number,
    portS: number,
    portE: number,
    uidS: number,
    uidE: number,
    nums: Float64Array,
    file: number,
    line: number,
  ): void {
    const ts = nums[0]!
    if (this.uids.size > 0 && uidE > uidS) {
      const named = this.uids.get(buf.toString('latin1', uidS, uidE))
      if (named) {
        this.records.conn++
        this.time(ts)
        named.addBytes(nums[1]!)
        named.duration += nums[2]!
        return
      }
    }
    this.records.conn++
    if (ts < this.min) this.min = ts
    if (ts > this.max) this.max = ts
    const src4 = parseIpv4(buf, srcS, srcE)
    const dst4 = src4 === undefined ? undefined : parseIpv4(buf, dstS, dstE)
    const port = dst4 === undefined ? Number.NaN : parseUint(buf, portS, portE)
    if (src4 !== undefined && dst4 !== undefined && port >= 0 && port <= 65535) {
      const id = this.ipv4.get(src4, dst4, port)
      if (this.ipv4.isNew) {
        const src = buf.toString('latin1', srcS, srcE)
        this.ipv4Pairs.push(this.pair('ip', src, `${buf.toString('latin1', dstS, dstE)}:${port}`))
      }
      const b = this.block
      if (b.file !== file || (b.length === b.capacity && !b.grow())) this.flush()
      b.file = file
      const r = b.length++
      b.ids[r] = id
      b.ts[r] = ts
      b.bytes[r] = nums[1]!
      b.dur[r] = nums[2]!
      b.line[r] = line
      return
    }
    let p = this.ipBytes.find3(buf, srcS, srcE, dstS, dstE, portS, portE)
    if (!p) {
      const src = buf.toString('latin1', srcS, srcE)
      const dst = `${buf.toString('latin1', dstS, dstE)}:${buf.toString('latin1', portS, portE)}`
      p = this.pair('ip', src, dst)
      this.ipBytes.add3(buf, srcS, srcE, dstS, dstE, portS, portE, p)
    }
    p.addTime(ts, file, line)
    p.addBytes(nums[1]!)
    p.duration += nums[2]!
  }

  /** Moves the buffered conn records into their pairs, grouped by pair (counting sort). */
  flush(): void {
    const b = this.block
    const n = b.length
    if (n === 0) return
    const pairs = this.ipv4Pairs.length
    if (this.counts.length < pairs + 1)
      this.counts = new Int32Array(Math.max(pairs + 1, this.counts.length * 2))
    const counts = this.counts
    counts.fill(0, 0, pairs + 1)
    for (let r = 0; r < n; r++) counts[b.ids[r]! + 1]!++
    for (let i = 1; i <= pairs; i++) counts[i]! += counts[i - 1]!
    if (this.order.length < n) this.order = new Int32Array(b.capacity)
    const order = this.order
    for (let r = 0; r < n; r++) order[counts[b.ids[r]!]!++] = r
    // counts[i] is now the end of pair i's run
    let from = 0
    for (let i = 0; i < pairs; i++) {
      const to = counts[i]!
      if (to > from) this.ipv4Pairs[i]!.addRun(b, order, from, to)
      from = to
    }
    b.length = 0
  }

  /** Folds in an IP pair aggregated by a worker thread. */
  mergeIpPair(src: string, dst: string, data: Parameters<Pair['merge']>[0]): void {
    this.pair('ip', src, dst).merge(data)
  }

  /** Adds a worker's record count and time bounds. */
  absorbCounts(conn: number, min: number, max: number): void {
    this.records.conn += conn
    if (min < this.min) this.min = min
    if (max > this.max) this.max = max
  }

  /** Is there any HTTP/TLS record whose connection would join by uid? */
  get joinsByUid(): boolean {
    return this.uids.size > 0
  }

  /** A file ended: flush buffered records (they carry the file index). */
  endFile(_file: number): void {
    this.flush()
  }

  dns(
    ts: number,
    src: string,
    dst: string,
    query: string,
    answers: string[],
    isQuery: boolean,
    file: number,
    line: number,
  ): void {
    this.records.dns++
    this.time(ts)
    const name = query.toLowerCase().replace(/\.$/, '')
    if (name && isQuery) this.pair('dns', src, name).addTime(ts, file, line)
    this.ioc.dns(ts, src, dst, name, answers, file, line)
  }

  http(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    method: string,
    host: string,
    uri: string,
    proxied: boolean,
    bytes: number,
    uid: string,
    file: number,
    line: number,
  ): void {
    this.records.http++
    this.time(ts)
    const name = normalHost(host)
    this.ioc.http(ts, src, dst, dport, method, name, uri, file, line)
    if (!name) return
    this.named(this.pair('sni', src, name), ts, bytes, uid, proxied ? dst : '', file, line)
    const path = method === 'CONNECT' ? '' : pathPrefix(uri, this.urlDepth)
    if (path) {
      const u = this.pair('url', src, `${name}${path}`)
      u.addTime(ts, file, line)
      u.addBytes(bytes)
    }
  }

  tls(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    sni: string,
    subject: string,
    issuer: string,
    uid: string,
    file: number,
    line: number,
  ): void {
    this.records.tls++
    this.time(ts)
    const name = normalHost(sni)
    this.ioc.tls(ts, src, dst, dport, name, subject, issuer, file, line)
    if (name) this.named(this.pair('sni', src, name), ts, Number.NaN, uid, dst, file, line)
  }

  /** One observation per uid (RITA counts one request per connection); bytes come from conn by uid. */
  private named(
    p: Pair,
    ts: number,
    bytes: number,
    uid: string,
    via: string,
    file: number,
    line: number,
  ): void {
    if (uid) {
      if (this.uids.has(uid)) return
      this.uids.set(uid, p)
    }
    p.addTime(ts, file, line)
    p.addBytes(bytes)
    p.addVia(via)
  }

  cert(ts: number, subject: string, sans: string[], file: number, line: number): void {
    this.records.cert++
    this.time(ts)
    this.ioc.cert(ts, subject, sans, file, line)
  }

  alert(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    signature: string,
    sid: number,
    severity: number,
    category: string,
    file: number,
    line: number,
  ): void {
    this.records.alert++
    this.time(ts)
    const key = `${sid}|${signature}|${src}|${dst}|${dport}`
    let g = this.alerts.get(key)
    if (!g) {
      g = {
        signature,
        sid,
        severity,
        category,
        src,
        dst,
        dport,
        count: 0,
        first: ts,
        last: ts,
        locations: [],
      }
      this.alerts.set(key, g)
    }
    g.count++
    if (ts < g.first) g.first = ts
    if (ts > g.last) g.last = ts
    if (g.locations.length < LOCATIONS_KEEP) g.locations.push({ file, line })
  }

  malformed(file: number, line: number, message: string): void {
    this.malformedCount++
    if (this.malformedKept.length < MALFORMED_KEEP) this.malformedKept.push({ file, line, message })
  }

  /** Every pair of every kind. */
  *allPairs(): Iterable<Pair> {
    for (const map of Object.values(this.pairs)) yield* map.values()
  }
}

/** Lowercase host without port, brackets or trailing dot. */
export function normalHost(host: string): string {
  let h = host.trim().toLowerCase()
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined)
  else if (/:\d+$/.test(h) && h.indexOf(':') === h.lastIndexOf(':')) h = h.replace(/:\d+$/, '')
  return h.replace(/\.$/, '')
}

/** `/IconStorages` from `/IconStorages/images/main/icon1.ico` (depth 1); '' for `/` or none. */
export function pathPrefix(uri: string, depth: number): string {
  let path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
  const q = path.search(/[?#]/)
  if (q >= 0) path = path.slice(0, q)
  const segs = path.split('/').filter(Boolean)
  // a bare file at the root (`/favicon.ico`) adds nothing to the host-level pair
  if (segs.length <= 1) return ''
  return `/${segs.slice(0, Math.min(depth, segs.length - 1)).join('/')}`
}
