import type { NetSink } from '../sink.js'
import type { LineHandler } from './lines.js'

/** `1729879108.361   2812 172.17.0.1 TCP_TUNNEL/200 5435 CONNECT example.com:443 - HIER_DIRECT/93.184.215.14 -` */
export const SQUID_LINE =
  /^\d{9,11}\.\d{1,6}\s+-?\d+\s+\S+\s+[A-Z_]+\/\d{1,3}\s+\d+\s+[A-Za-z_-]+\s+\S+/

/**
 * Squid native access.log (`logformat squid %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un
 * %Sh/%<a %mt`). Every request went through the proxy; a CONNECT line names `host:port` only.
 */
export function createSquidReader(sink: NetSink, file: number): LineHandler {
  return (buf, s, e, line) => {
    const text = buf.toString('utf8', s, e).trim()
    if (text === '') return
    const f = text.split(/\s+/)
    if (f.length < 7 || !SQUID_LINE.test(text)) {
      sink.malformed(file, line, 'not a Squid native access.log line')
      return
    }
    const ts = Number(f[0])
    const client = f[2]!
    const bytes = Number(f[4])
    const method = f[5]!
    const url = f[6]!
    const peer = (f[8] ?? '').split('/')[1] ?? ''
    const target = method === 'CONNECT' ? connectTarget(url) : absoluteTarget(url)
    if (!target) {
      sink.malformed(file, line, `unreadable URL '${url.slice(0, 60)}'`)
      return
    }
    const dst = peer === '-' ? '' : peer
    sink.http(ts, client, dst, target.port, method, target.host, url, true, bytes, '', file, line)
  }
}

function connectTarget(url: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(url)
  if (m) return { host: m[1]!.toLowerCase(), port: Number(m[2]) }
  return url ? { host: url.toLowerCase(), port: 443 } : undefined
}

function absoluteTarget(url: string): { host: string; port: number } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?/i.exec(url)
  if (!m) return undefined
  const scheme = m[1]!.toLowerCase()
  const host = m[2]!.replace(/^\[|\]$/g, '').toLowerCase()
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80
  return { host, port }
}
