/**
 * Synthetic network logs with known ground truth, for the network layer's tests and bench.
 *
 *   npx tsx scripts/gen-netlogs.ts OUT_DIR                 # Zeek TSV + JSON, Suricata eve, Squid
 *   npx tsx scripts/gen-netlogs.ts --conn-only N OUT_FILE  # one big Zeek conn.log of N records (bench)
 *
 * The scenario (seeded, reproducible): HOSTS internal hosts over 7 days + 8 hours, with
 *   beacons   fixed period (direct IP), ±30 % jitter (direct IP), a 7-day sleep then beacons for the
 *             last 8 h (TLS SNI), a beacon through an HTTP proxy (CONNECT), and periodic fetches of
 *             one GitHub path (`raw.githubusercontent.com/IconStorages/…`) that every host's
 *             ordinary GitHub use hides at the host level;
 *   benign    periodic services on every host (OS updates, telemetry with jitter, hourly NTP-like DNS);
 *   background bursty browsing to a Zipf-distributed set of sites.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 as rng } from '../src/binary/fuzz.js'

export const T0 = 1_700_000_000
export const SPAN = 7 * 86_400 + 8 * 3600
const PROXY = '10.0.0.2'
const PROXY_PORT = 3128

/** What the analyzer should find, keyed as it keys pairs. */
export interface Truth {
  name: string
  src: string
  /** Pair destination: `ip:port`, a host name, or `host/path`. */
  dst: string
  kind: 'ip' | 'sni' | 'url'
  /** Formats in which this beacon is visible. */
  formats: LogFormatName[]
}

export type LogFormatName = 'zeek-tsv' | 'zeek-json' | 'suricata' | 'squid'

export const TRUTH: Truth[] = [
  {
    name: 'fixed period',
    src: '10.0.0.11',
    dst: '203.0.113.10:443',
    kind: 'ip',
    formats: ['zeek-tsv', 'zeek-json', 'suricata'],
  },
  {
    name: 'jitter ±30 %',
    src: '10.0.0.12',
    dst: '198.51.100.20:8443',
    kind: 'ip',
    formats: ['zeek-tsv', 'zeek-json', 'suricata'],
  },
  {
    name: '7-day sleep, then beacons',
    src: '10.0.0.13',
    dst: 'cdn.sleepy-c2.example',
    kind: 'sni',
    formats: ['zeek-tsv', 'zeek-json', 'suricata', 'squid'],
  },
  {
    name: 'via proxy (CONNECT)',
    src: '10.0.0.14',
    dst: 'api.proxied-c2.example',
    kind: 'sni',
    formats: ['zeek-tsv', 'zeek-json', 'suricata', 'squid'],
  },
  {
    name: 'URL path under a popular host',
    src: '10.0.0.15',
    dst: 'raw.githubusercontent.com/IconStorages',
    kind: 'url',
    formats: ['zeek-tsv', 'zeek-json', 'suricata', 'squid'],
  },
]

/** Benign periodic destinations every host reaches. */
export const BENIGN = [
  'update.benign-os.example',
  'telemetry.benign-vendor.example',
  'time.benign-os.example',
]

type Proto = 'tls' | 'http' | 'connect' | 'dns' | 'plain'

interface Event {
  ts: number
  src: string
  dst: string
  port: number
  proto: Proto
  host: string
  uri: string
  bytes: number
  duration: number
}

function hostAddr(i: number): string {
  return `10.0.0.${10 + i}`
}

function siteAddr(i: number): string {
  return `192.0.2.${(i % 250) + 1}`
}

/** Every event of the scenario, time-sorted. */
export function scenario(hosts = 20, seed = 7): Event[] {
  const r = rng(seed)
  const ev: Event[] = []
  const periodic = (
    src: string,
    start: number,
    end: number,
    period: number,
    jitter: number,
    make: (ts: number) => Omit<Event, 'ts' | 'src'>,
  ) => {
    for (let t = start; t < end; t += period * (1 + jitter * (2 * r() - 1)))
      ev.push({ ts: t, src, ...make(t) })
  }
  const end = T0 + SPAN
  for (let h = 0; h < hosts; h++) {
    const src = hostAddr(h)
    const off = r() * 600
    periodic(src, T0 + off, end, 900, 0.05, () => ({
      dst: '192.0.2.200',
      port: 443,
      proto: 'tls',
      host: BENIGN[0]!,
      uri: '',
      bytes: 900 + Math.floor(r() * 40),
      duration: 0.3,
    }))
    periodic(src, T0 + off * 2, end, 1800, 0.3, () => ({
      dst: '192.0.2.201',
      port: 443,
      proto: 'tls',
      host: BENIGN[1]!,
      uri: '',
      bytes: 2200 + Math.floor(r() * 400),
      duration: 0.5,
    }))
    periodic(src, T0 + off * 3, end, 3600, 0, () => ({
      dst: '10.0.0.1',
      port: 53,
      proto: 'dns',
      host: BENIGN[2]!,
      uri: '',
      bytes: 74,
      duration: 0.01,
    }))
    // background: bursts of visits, Zipf-ish sites; every host also uses GitHub raw content
    for (let t = T0 + r() * 3600; t < end; t += -Math.log(1 - r()) * 1800) {
      const site = Math.floor(200 * r() ** 3)
      const burst = 1 + Math.floor(r() * 4)
      for (let b = 0; b < burst; b++) {
        ev.push({
          ts: t + b * r() * 5,
          src,
          dst: siteAddr(site),
          port: 443,
          proto: 'tls',
          host: `www.site${site}.example`,
          uri: '',
          bytes: 300 + Math.floor(r() * 30_000),
          duration: r() * 20,
        })
      }
      if (r() < 0.15) {
        ev.push({
          ts: t + 7,
          src,
          dst: '185.199.108.133',
          port: 80,
          proto: 'http',
          host: 'raw.githubusercontent.com',
          uri: `/benign-org${Math.floor(r() * 5)}/dotfiles/main/file${Math.floor(r() * 50)}.txt`,
          bytes: 400 + Math.floor(r() * 5000),
          duration: 0.4,
        })
      }
    }
  }
  // the beacons (TRUTH order)
  periodic('10.0.0.11', T0 + 123, end, 300, 0, () => ({
    dst: '203.0.113.10',
    port: 443,
    proto: 'plain',
    host: '',
    uri: '',
    bytes: 412,
    duration: 0.2,
  }))
  periodic('10.0.0.12', T0 + 77, end, 600, 0.3, () => ({
    dst: '198.51.100.20',
    port: 8443,
    proto: 'plain',
    host: '',
    uri: '',
    bytes: 500 + Math.floor(r() * 30),
    duration: 0.2,
  }))
  // the sleeper: installed at T0, silent for 7 days, then beacons for the last 8 hours
  periodic('10.0.0.13', end - 8 * 3600, end, 300, 0.1, () => ({
    dst: '198.51.100.77',
    port: 443,
    proto: 'tls',
    host: 'cdn.sleepy-c2.example',
    uri: '',
    bytes: 640 + Math.floor(r() * 20),
    duration: 0.3,
  }))
  periodic('10.0.0.14', T0 + 3 * 86_400, end, 120, 0.2, () => ({
    dst: PROXY,
    port: PROXY_PORT,
    proto: 'connect',
    host: 'api.proxied-c2.example',
    uri: 'api.proxied-c2.example:443',
    bytes: 1300 + Math.floor(r() * 30),
    duration: 0.4,
  }))
  periodic('10.0.0.15', end - 36 * 3600, end, 900, 0.2, () => ({
    dst: '185.199.108.133',
    port: 80,
    proto: 'http',
    host: 'raw.githubusercontent.com',
    uri: `/IconStorages/images/main/icon${1 + Math.floor(r() * 15)}.ico`,
    bytes: 700 + Math.floor(r() * 20),
    duration: 0.4,
  }))
  return ev.filter((e) => e.ts < end).sort((a, b) => a.ts - b.ts)
}

const uidOf = (i: number) => `C${(i * 2654435761).toString(36).slice(-8)}${i.toString(36)}`
const fmt = (t: number) => t.toFixed(6)
const iso = (t: number) => new Date(t * 1000).toISOString().replace('Z', '+0000')

const ZEEK_HEAD = (path: string, fields: string[], types: string[]) =>
  `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t${path}\n#open\t2023-11-14-22-13-20\n#fields\t${fields.join('\t')}\n#types\t${types.join('\t')}\n`

const CONN_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
  'ip_proto',
]
const CONN_TYPES = [
  'time',
  'string',
  'addr',
  'port',
  'addr',
  'port',
  'enum',
  'string',
  'interval',
  'count',
  'count',
  'string',
  'bool',
  'bool',
  'count',
  'string',
  'count',
  'count',
  'count',
  'count',
  'set[string]',
  'count',
]
const DNS_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'trans_id',
  'rtt',
  'query',
  'qclass',
  'qclass_name',
  'qtype',
  'qtype_name',
  'rcode',
  'rcode_name',
  'AA',
  'TC',
  'RD',
  'RA',
  'Z',
  'answers',
  'TTLs',
  'rejected',
]
const DNS_TYPES = [
  'time',
  'string',
  'addr',
  'port',
  'addr',
  'port',
  'enum',
  'count',
  'interval',
  'string',
  'count',
  'string',
  'count',
  'string',
  'count',
  'string',
  'bool',
  'bool',
  'bool',
  'bool',
  'count',
  'vector[string]',
  'vector[interval]',
  'bool',
]
const SSL_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'version',
  'cipher',
  'curve',
  'server_name',
  'resumed',
  'last_alert',
  'next_protocol',
  'established',
  'ssl_history',
  'cert_chain_fps',
  'client_cert_chain_fps',
  'sni_matches_cert',
]
const SSL_TYPES = [
  'time',
  'string',
  'addr',
  'port',
  'addr',
  'port',
  'string',
  'string',
  'string',
  'string',
  'bool',
  'string',
  'string',
  'bool',
  'string',
  'vector[string]',
  'vector[string]',
  'bool',
]
const HTTP_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'trans_depth',
  'method',
  'host',
  'uri',
  'referrer',
  'version',
  'user_agent',
  'origin',
  'request_body_len',
  'response_body_len',
  'status_code',
  'status_msg',
  'info_code',
  'info_msg',
  'tags',
  'username',
  'password',
  'proxied',
  'orig_fuids',
  'orig_filenames',
  'orig_mime_types',
  'resp_fuids',
  'resp_filenames',
  'resp_mime_types',
]
const HTTP_TYPES = [
  'time',
  'string',
  'addr',
  'port',
  'addr',
  'port',
  'count',
  'string',
  'string',
  'string',
  'string',
  'string',
  'string',
  'string',
  'count',
  'count',
  'count',
  'string',
  'count',
  'string',
  'set[enum]',
  'string',
  'string',
  'set[string]',
  'vector[string]',
  'vector[string]',
  'vector[string]',
  'vector[string]',
  'vector[string]',
  'vector[string]',
]

function writeZeekTsv(dir: string, events: Event[]): void {
  const conn: string[] = [ZEEK_HEAD('conn', CONN_FIELDS, CONN_TYPES)]
  const dns: string[] = [ZEEK_HEAD('dns', DNS_FIELDS, DNS_TYPES)]
  const ssl: string[] = [ZEEK_HEAD('ssl', SSL_FIELDS, SSL_TYPES)]
  const http: string[] = [ZEEK_HEAD('http', HTTP_FIELDS, HTTP_TYPES)]
  events.forEach((e, i) => {
    const uid = uidOf(i)
    const sport = 49152 + (i % 16000)
    const proto = e.proto === 'dns' ? 'udp' : 'tcp'
    const service =
      e.proto === 'tls' ? 'ssl' : e.proto === 'dns' ? 'dns' : e.proto === 'plain' ? '-' : 'http'
    conn.push(
      `${fmt(e.ts)}\t${uid}\t${e.src}\t${sport}\t${e.dst}\t${e.port}\t${proto}\t${service}\t${e.duration.toFixed(6)}\t${e.bytes - 52}\t${e.bytes * 3}\tSF\tT\tF\t0\tShADadFf\t6\t${e.bytes}\t6\t${e.bytes * 3 + 300}\t-\t${proto === 'udp' ? 17 : 6}\n`,
    )
    const id = `${uid}\t${e.src}\t${sport}\t${e.dst}\t${e.port}`
    if (e.proto === 'dns')
      dns.push(
        `${fmt(e.ts)}\t${id}\tudp\t${i % 65536}\t0.001000\t${e.host}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.210\t300.000000\tF\n`,
      )
    if (e.proto === 'tls')
      ssl.push(
        `${fmt(e.ts + 0.02)}\t${id}\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\t${e.host}\tF\t-\th2\tT\tCsiI\t(empty)\t(empty)\tT\n`,
      )
    if (e.proto === 'http' || e.proto === 'connect') {
      const method = e.proto === 'connect' ? 'CONNECT' : 'GET'
      const status = e.proto === 'connect' ? '200\tConnection established' : '200\tOK'
      http.push(
        `${fmt(e.ts + 0.01)}\t${id}\t1\t${method}\t${e.host}\t${e.uri}\t-\t1.1\tMozilla/5.0\t-\t0\t${e.bytes}\t${status}\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-\t-\t-\n`,
      )
    }
  })
  for (const [name, lines] of [
    ['conn.log', conn],
    ['dns.log', dns],
    ['ssl.log', ssl],
    ['http.log', http],
  ] as const) {
    writeFileSync(join(dir, name), `${lines.join('')}#close\t2023-11-22-06-13-20\n`)
  }
}

function writeZeekJson(dir: string, events: Event[]): void {
  const out: Record<string, string[]> = { conn: [], dns: [], ssl: [], http: [] }
  events.forEach((e, i) => {
    const uid = uidOf(i)
    const id = {
      'id.orig_h': e.src,
      'id.orig_p': 49152 + (i % 16000),
      'id.resp_h': e.dst,
      'id.resp_p': e.port,
    }
    const proto = e.proto === 'dns' ? 'udp' : 'tcp'
    // conn with epoch ts, the others ISO-8601 (json-streaming-logs style) to cover both
    out.conn!.push(
      JSON.stringify({
        ts: e.ts,
        uid,
        ...id,
        proto,
        duration: e.duration,
        orig_bytes: e.bytes - 52,
        resp_bytes: e.bytes * 3,
        conn_state: 'SF',
        orig_ip_bytes: e.bytes,
      }),
    )
    const ts = new Date(e.ts * 1000).toISOString()
    if (e.proto === 'dns')
      out.dns!.push(
        JSON.stringify({
          _path: 'dns',
          ts,
          uid,
          ...id,
          proto: 'udp',
          query: e.host,
          qtype: 1,
          qtype_name: 'A',
          answers: ['192.0.2.210'],
          TTLs: [300],
        }),
      )
    if (e.proto === 'tls')
      out.ssl!.push(
        JSON.stringify({
          _path: 'ssl',
          ts,
          uid,
          ...id,
          version: 'TLSv13',
          server_name: e.host,
          established: true,
        }),
      )
    if (e.proto === 'http' || e.proto === 'connect')
      out.http!.push(
        JSON.stringify({
          _path: 'http',
          ts,
          uid,
          ...id,
          trans_depth: 1,
          method: e.proto === 'connect' ? 'CONNECT' : 'GET',
          host: e.host,
          uri: e.uri,
          status_code: 200,
        }),
      )
  })
  for (const [name, lines] of Object.entries(out))
    writeFileSync(join(dir, `${name}.json`), `${lines.join('\n')}\n`)
}

function writeSuricata(dir: string, events: Event[]): void {
  const lines: string[] = []
  events.forEach((e, i) => {
    const base = {
      flow_id: 1_000_000 + i,
      src_ip: e.src,
      src_port: 49152 + (i % 16000),
      dest_ip: e.dst,
      dest_port: e.port,
      proto: e.proto === 'dns' ? 'UDP' : 'TCP',
    }
    const t = iso(e.ts)
    if (e.proto === 'dns') {
      lines.push(
        JSON.stringify({
          timestamp: t,
          event_type: 'dns',
          ...base,
          dns: { type: 'query', id: i % 65536, rrname: e.host, rrtype: 'A', tx_id: 0 },
        }),
      )
      lines.push(
        JSON.stringify({
          timestamp: t,
          event_type: 'dns',
          ...base,
          src_ip: e.dst,
          dest_ip: e.src,
          dns: {
            version: 2,
            type: 'answer',
            id: i % 65536,
            rrname: e.host,
            rrtype: 'A',
            rcode: 'NOERROR',
            answers: [{ rrname: e.host, rrtype: 'A', ttl: 300, rdata: '192.0.2.210' }],
          },
        }),
      )
    }
    if (e.proto === 'tls')
      lines.push(
        JSON.stringify({
          timestamp: iso(e.ts + 0.02),
          event_type: 'tls',
          ...base,
          tls: {
            subject: `CN=${e.host}`,
            issuerdn: 'CN=Example CA',
            sni: e.host,
            version: 'TLS 1.3',
          },
        }),
      )
    if (e.proto === 'http' || e.proto === 'connect') {
      lines.push(
        JSON.stringify({
          timestamp: iso(e.ts + 0.01),
          event_type: 'http',
          ...base,
          http: {
            hostname: e.host,
            url: e.uri,
            http_method: e.proto === 'connect' ? 'CONNECT' : 'GET',
            protocol: 'HTTP/1.1',
            status: 200,
            length: e.bytes,
          },
        }),
      )
    }
    lines.push(
      JSON.stringify({
        timestamp: iso(e.ts + e.duration + 1),
        event_type: 'flow',
        ...base,
        flow: {
          pkts_toserver: 6,
          pkts_toclient: 6,
          bytes_toserver: e.bytes,
          bytes_toclient: e.bytes * 3,
          start: iso(e.ts),
          end: iso(e.ts + e.duration),
          age: Math.round(e.duration),
          state: 'closed',
          reason: 'timeout',
          alerted: false,
        },
      }),
    )
  })
  writeFileSync(join(dir, 'eve.json'), `${lines.join('\n')}\n`)
}

/** Squid native access.log: the web traffic (TLS as CONNECT, HTTP as GET with absolute URL). */
function writeSquid(dir: string, events: Event[]): void {
  const lines: string[] = []
  for (const e of events) {
    if (e.proto === 'dns' || e.proto === 'plain') continue
    const elapsed = String(Math.round(e.duration * 1000)).padStart(6)
    const t = e.ts.toFixed(3)
    const peer = e.proto === 'connect' ? '198.51.100.99' : e.dst
    if (e.proto === 'http')
      lines.push(
        `${t} ${elapsed} ${e.src} TCP_MISS/200 ${e.bytes} GET http://${e.host}${e.uri} - HIER_DIRECT/${peer} image/x-icon`,
      )
    else
      lines.push(
        `${t} ${elapsed} ${e.src} TCP_TUNNEL/200 ${e.bytes} CONNECT ${e.host}:443 - HIER_DIRECT/${peer} -`,
      )
  }
  writeFileSync(join(dir, 'access.log'), `${lines.join('\n')}\n`)
}

/** Writes the scenario in every format under `out/<format>/`. */
export function generateNetLogs(out: string, hosts = 20, seed = 7): Record<LogFormatName, string> {
  const events = scenario(hosts, seed)
  const dirs = {
    'zeek-tsv': join(out, 'zeek-tsv'),
    'zeek-json': join(out, 'zeek-json'),
    suricata: join(out, 'suricata'),
    squid: join(out, 'squid'),
  }
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true })
  writeZeekTsv(dirs['zeek-tsv'], events)
  writeZeekJson(dirs['zeek-json'], events)
  writeSuricata(dirs.suricata, events)
  writeSquid(dirs.squid, events)
  return dirs
}

/**
 * One big Zeek conn.log for the bench: `records` lines over `pairs` distinct (source,
 * destination:port) pairs, timestamps increasing, written in 8 MiB blocks.
 */
export function writeBigConnLog(path: string, records: number, pairs = 100_000, seed = 11): void {
  const r = rng(seed)
  const fd = openSync(path, 'w')
  writeSync(fd, ZEEK_HEAD('conn', CONN_FIELDS, CONN_TYPES))
  const srcs = Array.from(
    { length: 2000 },
    (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${1 + (i % 200)}`,
  )
  const dsts = Array.from(
    { length: 5000 },
    (_, i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
  )
  const pairSrc = Uint16Array.from({ length: pairs }, () => Math.floor(r() * srcs.length))
  const pairDst = Uint16Array.from({ length: pairs }, () => Math.floor(r() * dsts.length))
  const ports = [443, 80, 8080, 53, 22]
  let block: string[] = []
  let size = 0
  const step = 86_400 / records
  for (let i = 0; i < records; i++) {
    const p = Math.floor(r() ** 2 * pairs)
    const bytes = 60 + Math.floor(r() * 3000)
    const line = `${(T0 + i * step).toFixed(6)}\tC${i.toString(36)}x\t${srcs[pairSrc[p]!]}\t${49152 + (i & 16383)}\t${dsts[pairDst[p]!]}\t${ports[p % 5]}\ttcp\t-\t${(r() * 2).toFixed(6)}\t${bytes - 52}\t${bytes * 2}\tSF\tT\tF\t0\tShADadFf\t6\t${bytes}\t5\t${bytes * 2 + 260}\t-\t6\n`
    block.push(line)
    size += line.length
    if (size > 8 << 20) {
      writeSync(fd, block.join(''))
      block = []
      size = 0
    }
  }
  writeSync(fd, `${block.join('')}#close\t2023-11-15-22-13-20\n`)
  closeSync(fd)
}

const isMain =
  process.argv[1]?.endsWith('gen-netlogs.ts') || process.argv[1]?.endsWith('gen-netlogs.js')
if (isMain) {
  const args = process.argv.slice(2)
  if (args[0] === '--conn-only')
    writeBigConnLog(args[2] ?? 'conn.log', Number(args[1] ?? 10_000_000))
  else if (args[0]) console.log(generateNetLogs(args[0]))
  else {
    console.error('usage: gen-netlogs.ts OUT_DIR | --conn-only N OUT_FILE')
    process.exitCode = 2
  }
}
