import type { Intel } from '../../intel/intel.js'
import type { NetworkIndicator } from '../../intel/records.js'
import type { Pair } from '../series.js'

/** How the indicator was seen in the log. */
export type ContactVia =
  | 'connection'
  | 'dns-query'
  | 'dns-answer'
  | 'http-url'
  | 'http-host'
  | 'tls-sni'
  | 'tls-subject'
  | 'x509-subject'
  | 'x509-san'

export interface Contact {
  indicator: NetworkIndicator
  src: string
  observed: Set<string>
  via: Set<ContactVia>
  count: number
  first: number
  last: number
  locations: { file: number; line: number }[]
}

const LOCATIONS_KEEP = 10
const CACHE_MAX = 200_000
const NONE: readonly NetworkIndicator[] = []

/**
 * Collects hits of intel indicators in log records: DNS names and answers, HTTP URLs (host and
 * path, so a URL indicator under a popular host is caught) and hosts, TLS SNI and certificate
 * subjects. Lookups are memoised per distinct value. Connections are matched per pair afterwards.
 */
export class IocCollector {
  readonly contacts = new Map<string, Contact>()
  private readonly domainCache = new Map<string, readonly NetworkIndicator[]>()
  private readonly ipCache = new Map<string, readonly NetworkIndicator[]>()

  constructor(private readonly intel: Intel) {}

  private domain(name: string): readonly NetworkIndicator[] {
    if (!name) return NONE
    return memo(this.domainCache, name, () => this.intel.matchDomain(name))
  }

  private ip(address: string): readonly NetworkIndicator[] {
    if (!address) return NONE
    return memo(this.ipCache, address, () => this.intel.matchIp(address))
  }

  private hit(
    inds: readonly NetworkIndicator[],
    src: string,
    observed: string,
    via: ContactVia,
    ts: number,
    file: number,
    line: number,
    count = 1,
  ): void {
    for (const ind of inds) {
      const key = `${ind.source}\0${ind.id}\0${ind.value}\0${src}`
      let c = this.contacts.get(key)
      if (!c) {
        c = {
          indicator: ind,
          src,
          observed: new Set(),
          via: new Set(),
          count: 0,
          first: ts,
          last: ts,
          locations: [],
        }
        this.contacts.set(key, c)
      }
      c.count += count
      if (c.observed.size < 20) c.observed.add(observed)
      c.via.add(via)
      if (ts < c.first || !Number.isFinite(c.first)) c.first = ts
      if (ts > c.last || !Number.isFinite(c.last)) c.last = ts
      if (c.locations.length < LOCATIONS_KEEP && file >= 0) c.locations.push({ file, line })
    }
  }

  dns(
    ts: number,
    src: string,
    _dst: string,
    query: string,
    answers: string[],
    file: number,
    line: number,
  ): void {
    this.hit(this.domain(query), src, query, 'dns-query', ts, file, line)
    for (const raw of answers) {
      const a = answerValue(raw)
      const inds = /^[\d.]+$|:/.test(a)
        ? this.ip(a)
        : this.domain(a.toLowerCase().replace(/\.$/, ''))
      if (inds.length) this.hit(inds, src, a, 'dns-answer', ts, file, line)
    }
  }

  http(
    ts: number,
    src: string,
    _dst: string,
    dport: number,
    method: string,
    host: string,
    uri: string,
    file: number,
    line: number,
  ): void {
    if (!host) return
    const hostHits = this.domain(host)
    const ipHits = hostHits.length ? NONE : this.ip(host)
    this.hit(hostHits.length ? hostHits : ipHits, src, host, 'http-host', ts, file, line)
    if (method === 'CONNECT' || !uri) return
    const url = absoluteUrl(host, dport, uri)
    const urlHits = this.intel.matchUrl(url)
    if (urlHits.length) this.hit(urlHits, src, url, 'http-url', ts, file, line)
  }

  tls(
    ts: number,
    src: string,
    _dst: string,
    _dport: number,
    sni: string,
    subject: string,
    _issuer: string,
    file: number,
    line: number,
  ): void {
    this.hit(this.domain(sni), src, sni, 'tls-sni', ts, file, line)
    const cn = commonName(subject)
    if (cn && cn !== sni) this.hit(this.domain(cn), src, cn, 'tls-subject', ts, file, line)
  }

  cert(ts: number, subject: string, sans: string[], file: number, line: number): void {
    const cn = commonName(subject)
    if (cn) this.hit(this.domain(cn), '', cn, 'x509-subject', ts, file, line)
    for (const san of sans) {
      const name = san.toLowerCase().replace(/^\*\./, '')
      if (name !== cn) this.hit(this.domain(name), '', name, 'x509-san', ts, file, line)
    }
  }

  /** Connections: the destination (and the source, for inbound contact) of each IP pair. */
  pair(p: Pair, dstIp: string): void {
    const locs: [number, number][] = [
      [p.firstFile, p.firstLine],
      [p.lastFile, p.lastLine],
    ]
    const record = (inds: readonly NetworkIndicator[], src: string, observed: string) => {
      const matching = inds.filter((i) => i.port === undefined || `${dstIp}:${i.port}` === p.dst)
      if (!matching.length) return
      this.hit(matching, src, observed, 'connection', p.first, locs[0]![0], locs[0]![1], p.count)
      if (p.lastLine !== p.firstLine || p.lastFile !== p.firstFile)
        this.hit(matching, src, observed, 'connection', p.last, locs[1]![0], locs[1]![1], 0)
    }
    record(this.ip(dstIp), p.src, p.dst)
    record(this.ip(p.src), p.src, p.src)
  }
}

function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key)
  if (v === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear()
    v = make()
    cache.set(key, v)
  }
  return v
}

/** Zeek writes TXT answers as `TXT 18 text`; other answers are names or addresses. */
function answerValue(raw: string): string {
  return raw.startsWith('TXT ') ? '' : raw.trim()
}

/** `CN=www.example.com,O=…` (Zeek) or `OU=…, CN=www.example.com` (Suricata) → the CN, lowercase. */
export function commonName(subject: string): string {
  const m = /(?:^|[,/]\s*)CN\s*=\s*([^,/]+)/i.exec(subject)
  return m ? m[1]!.trim().toLowerCase().replace(/^\*\./, '') : ''
}

function absoluteUrl(host: string, port: number, uri: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri
  const scheme = port === 443 ? 'https' : 'http'
  const hostPort = port && port !== 80 && port !== 443 ? `${host}:${port}` : host
  return `${scheme}://${hostPort}${uri.startsWith('/') ? '' : '/'}${uri}`
}
