import type { NetSink } from '../sink.js'
import type { LineHandler } from './lines.js'
import { parseIsoTime, parseJsonTime } from './time.js'

type Obj = Record<string, unknown>

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter(Boolean) : [])

/**
 * One reader for JSON-lines logs: Suricata eve.json (a line with `event_type`) and Zeek JSON
 * (dotted `id.orig_h` keys, nested `id` objects or `id_orig_h`; epoch or ISO-8601 `ts`).
 */
export function createJsonLinesReader(sink: NetSink, file: number, zeekPath?: string): LineHandler {
  return (buf, s, e, line) => {
    if (s === e) return
    const text = buf.toString('utf8', s, e)
    if (text.startsWith('#')) return
    const rec = parseJson(text)
    if (rec === undefined) {
      sink.malformed(file, line, 'not valid JSON')
      return
    }
    const o = obj(rec)
    if (!o) {
      sink.malformed(file, line, 'JSON line is not an object')
      return
    }
    if ('event_type' in o) suricata(o, sink, file, line)
    else zeek(o, sink, file, line, zeekPath)
  }
}

/** Zeek's btest baselines mask times as a bare `XXXXXXXXXX.XXXXXX`: read it as null (time unknown). */
const MASKED = /(?<=[:,[]\s*)X+\.X+(?=\s*[,}\]])/g

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    if (!text.includes('XXXX')) return undefined
    try {
      return JSON.parse(text.replace(MASKED, 'null'))
    } catch {
      return undefined
    }
  }
}

function zeekField(o: Obj, name: string): unknown {
  if (name in o) return o[name]
  const flat = name.replace('.', '_')
  if (flat in o) return o[flat]
  const [head, tail] = name.split('.', 2)
  const inner = head && tail ? obj(o[head]) : undefined
  return inner?.[tail!]
}

function zeekKind(o: Obj, hint?: string): string {
  const path = str(o._path) || hint || ''
  if (path) return path
  const has = (k: string) => zeekField(o, k) !== undefined
  if (has('query') && has('qtype')) return 'dns'
  if (has('method') && has('uri')) return 'http'
  if (has('server_name') || has('cipher')) return 'ssl'
  if (has('certificate.subject')) return 'x509'
  if (has('conn_state') || has('orig_bytes')) return 'conn'
  return 'other'
}

function zeek(o: Obj, sink: NetSink, file: number, line: number, hint?: string): void {
  const kind = zeekKind(o, hint)
  if (!['conn', 'dns', 'http', 'ssl', 'x509'].includes(kind)) return
  const f = (k: string) => zeekField(o, k)
  const ts = parseJsonTime(f('ts'))
  if (Number.isNaN(ts)) {
    sink.malformed(file, line, 'missing or bad ts')
    return
  }
  const src = str(f('id.orig_h'))
  const dst = str(f('id.resp_h'))
  const port = num(f('id.resp_p')) || 0
  const uid = str(f('uid'))
  switch (kind) {
    case 'conn': {
      const bytes = num(f('orig_ip_bytes'))
      const b = Number.isFinite(bytes) ? bytes : num(f('orig_bytes')) || 0
      sink.conn(ts, src, dst, port, str(f('proto')), b, num(f('duration')) || 0, uid, file, line)
      return
    }
    case 'dns':
      sink.dns(ts, src, dst, str(f('query')), strings(f('answers')), true, file, line)
      return
    case 'http': {
      const method = str(f('method'))
      const uri = str(f('uri'))
      const proxied =
        method === 'CONNECT' || /^[a-z]+:\/\//i.test(uri) || strings(f('proxied')).length > 0
      sink.http(
        ts,
        src,
        dst,
        port,
        method,
        str(f('host')),
        uri,
        proxied,
        Number.NaN,
        uid,
        file,
        line,
      )
      return
    }
    case 'ssl':
      sink.tls(
        ts,
        src,
        dst,
        port,
        str(f('server_name')),
        str(f('subject')),
        str(f('issuer')),
        uid,
        file,
        line,
      )
      return
    default:
      sink.cert(ts, str(f('certificate.subject')), strings(f('san.dns')), file, line)
  }
}

function suricata(o: Obj, sink: NetSink, file: number, line: number): void {
  const type = str(o.event_type)
  const ts = parseIsoTime(str(o.timestamp))
  if (Number.isNaN(ts)) {
    sink.malformed(file, line, 'missing or bad timestamp')
    return
  }
  const src = str(o.src_ip)
  const dst = str(o.dest_ip)
  const port = num(o.dest_port) || 0
  const uid = o.flow_id === undefined ? '' : `eve:${str(o.flow_id)}`
  switch (type) {
    case 'flow': {
      const flow = obj(o.flow) ?? {}
      const start = parseIsoTime(str(flow.start))
      const end = parseIsoTime(str(flow.end))
      const t = Number.isNaN(start) ? ts : start
      const duration = Number.isNaN(end - t) ? num(flow.age) || 0 : end - t
      sink.conn(
        t,
        src,
        dst,
        port,
        str(o.proto).toLowerCase(),
        num(flow.bytes_toserver) || 0,
        duration,
        uid,
        file,
        line,
      )
      return
    }
    case 'dns':
      suricataDns(o, ts, src, dst, sink, file, line)
      return
    case 'http': {
      const http = obj(o.http) ?? {}
      const method = str(http.http_method)
      const url = str(http.url)
      const proxied = method === 'CONNECT' || /^[a-z]+:\/\//i.test(url)
      const hostname = str(http.hostname)
      sink.http(ts, src, dst, port, method, hostname, url, proxied, Number.NaN, uid, file, line)
      return
    }
    case 'tls': {
      const tls = obj(o.tls) ?? {}
      sink.tls(
        ts,
        src,
        dst,
        port,
        str(tls.sni),
        str(tls.subject),
        str(tls.issuerdn),
        uid,
        file,
        line,
      )
      return
    }
    case 'alert': {
      const a = obj(o.alert) ?? {}
      sink.alert(
        ts,
        src,
        dst,
        port,
        str(a.signature),
        num(a.signature_id) || 0,
        num(a.severity) || 3,
        str(a.category),
        file,
        line,
      )
      return
    }
    default:
  }
}

/** Suricata DNS in its three shapes: v1 (one event per answer), v2 (answers/grouped), v3 (queries[]). */
function suricataDns(
  o: Obj,
  ts: number,
  src: string,
  dst: string,
  sink: NetSink,
  file: number,
  line: number,
): void {
  const dns = obj(o.dns) ?? {}
  const type = str(dns.type)
  const request = type === 'query' || type === 'request'
  const queries = Array.isArray(dns.queries)
    ? dns.queries.map((q) => str(obj(q)?.rrname)).filter(Boolean)
    : [str(dns.rrname)].filter(Boolean)
  const answers: string[] = []
  if (Array.isArray(dns.answers)) for (const a of dns.answers) answers.push(str(obj(a)?.rdata))
  if (type === 'answer' && 'rdata' in dns) answers.push(str(dns.rdata))
  const grouped = obj(dns.grouped)
  if (grouped) for (const v of Object.values(grouped)) answers.push(...strings(v))
  const clean = answers.filter(Boolean)
  // requests go client → server; responses server → client
  const client = request ? src : dst
  const server = request ? dst : src
  for (const q of queries)
    sink.dns(ts, client, server, q, request ? [] : clean, request, file, line)
}
