import type { NetSink } from '../sink.js'
import type { LineHandler } from './lines.js'
import { parseJsonTime } from './time.js'

/**
 * The generic CSV format (docs/network.md): a header line naming columns, any order, case-insensitive:
 * `ts` (epoch seconds or ISO-8601, required), `src` (required), `dst`, `dport`, `proto`, `bytes`,
 * `duration`, `method`, `host`, `url`, `sni`, `query`, `answers` (`;`-separated), `uid`.
 * A row with `query` is DNS; with `sni`, TLS; with `host` or `url`, HTTP; otherwise a connection.
 */
export const CSV_COLUMNS = [
  'ts',
  'src',
  'dst',
  'dport',
  'proto',
  'bytes',
  'duration',
  'method',
  'host',
  'url',
  'sni',
  'query',
  'answers',
  'uid',
] as const

/** Is this first line a generic-CSV header? */
export function isCsvHeader(line: string): boolean {
  const cols = splitCsv(line).map((c) => c.trim().toLowerCase())
  return cols.includes('ts') && cols.includes('src') && cols.length >= 2
}

export function createCsvReader(sink: NetSink, file: number): LineHandler {
  let cols: Map<string, number> | undefined
  return (buf, s, e, line) => {
    const text = buf.toString('utf8', s, e)
    if (text.trim() === '' || text.startsWith('#')) return
    const cells = splitCsv(text)
    if (!cols) {
      if (!isCsvHeader(text)) {
        sink.malformed(file, line, 'first line is not a CSV header with ts and src')
        return
      }
      cols = new Map(cells.map((c, i) => [c.trim().toLowerCase(), i]))
      return
    }
    const get = (k: (typeof CSV_COLUMNS)[number]): string => {
      const i = cols!.get(k)
      return i === undefined ? '' : (cells[i] ?? '').trim()
    }
    const ts = parseJsonTime(get('ts'))
    const src = get('src')
    if (Number.isNaN(ts) || src === '') {
      sink.malformed(file, line, 'missing or bad ts or src')
      return
    }
    const dst = get('dst')
    const port = Number(get('dport')) || 0
    const bytes = get('bytes') === '' ? Number.NaN : Number(get('bytes'))
    const uid = get('uid')
    if (get('query')) {
      const answers = get('answers')
        .split(';')
        .map((a) => a.trim())
        .filter(Boolean)
      sink.dns(ts, src, dst, get('query'), answers, true, file, line)
    } else if (get('sni')) sink.tls(ts, src, dst, port, get('sni'), '', '', uid, file, line)
    else if (get('host') || get('url')) {
      const url = get('url')
      const method = get('method') || 'GET'
      const host = get('host') || hostOfUrl(url)
      const proxied = method === 'CONNECT' || /^[a-z]+:\/\//i.test(url)
      sink.http(ts, src, dst, port, method, host, url, proxied, bytes, uid, file, line)
    } else {
      const b = Number.isFinite(bytes) ? bytes : 0
      sink.conn(ts, src, dst, port, get('proto'), b, Number(get('duration')) || 0, uid, file, line)
    }
  }
}

function hostOfUrl(url: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:?#]+)/i.exec(url)
  return m ? m[1]!.toLowerCase() : ''
}

/** RFC 4180 fields: commas, double quotes with "" escapes. */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',')
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}
