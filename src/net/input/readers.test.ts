import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCsvReader } from './csv.js'
import { detectFormat } from './detect.js'
import { createJsonLinesReader } from './json-lines.js'
import { feed, recordingSink } from './recording-sink.js'
import { createSquidReader } from './squid.js'
import { parseIsoTime } from './time.js'
import { createZeekTsvReader } from './zeek-tsv.js'

const TESTDATA = join(import.meta.dirname, '../testdata')
const read = (name: string) => readFileSync(join(TESTDATA, name), 'utf8')

describe('Squid native access.log', () => {
  it('reads GET, CONNECT (host:port, IPv6), denied and cache hits; reports the bad line', () => {
    const sink = recordingSink()
    feed(read('squid-access.log'), createSquidReader(sink, 0))
    const http = sink.calls.filter((c) => c[0] === 'http')
    expect(http).toHaveLength(7)
    expect(http[0]).toEqual([
      'http',
      1700000000.123,
      '10.1.2.3',
      '93.184.215.14',
      80,
      'GET',
      'example.com',
      'http://example.com/index.html',
      true,
      5120,
      '',
      0,
      1,
    ])
    expect(http[1]!.slice(1, 9)).toEqual([
      1700000060.456,
      '10.1.2.3',
      '93.184.215.14',
      443,
      'CONNECT',
      'example.com',
      'example.com:443',
      true,
    ])
    expect(http[2]!.slice(3, 7)).toEqual(['', 443, 'CONNECT', 'bad.example.net'])
    expect(http[5]!.slice(4, 7)).toEqual([8080, 'POST', '2001:db8::7'])
    expect(http[6]!.slice(4, 7)).toEqual([443, 'CONNECT', '2001:db8::9'])
    expect(sink.calls.filter((c) => c[0] === 'malformed')).toEqual([
      ['malformed', 0, 8, 'not a Squid native access.log line'],
    ])
    expect(detectFormat(read('squid-access.log')).format).toBe('squid')
  })
})

describe('generic CSV', () => {
  it('maps rows by their columns and reports a bad time', () => {
    const sink = recordingSink()
    feed(read('generic.csv'), createCsvReader(sink, 2))
    const kinds = sink.calls.map((c) => c[0])
    expect(kinds).toEqual(['conn', 'dns', 'tls', 'http', 'http', 'malformed'])
    expect(sink.calls[0]).toEqual([
      'conn',
      1700000000.5,
      '10.1.2.3',
      '203.0.113.10',
      443,
      'tcp',
      412,
      0.2,
      '',
      2,
      2,
    ])
    expect(sink.calls[1]!.slice(1, 7)).toEqual([
      1700000060,
      '10.1.2.3',
      '10.0.0.1',
      'cdn.sleepy-c2.example',
      ['198.51.100.77', 'cname.example'],
      true,
    ])
    expect(sink.calls[3]!.slice(5, 9)).toEqual([
      'GET',
      'raw.githubusercontent.com',
      '/IconStorages/images/main/icon1.ico',
      false,
    ])
    expect(sink.calls[4]!.slice(5, 9)).toEqual([
      'CONNECT',
      'api.proxied-c2.example',
      'api.proxied-c2.example:443',
      true,
    ])
    expect(detectFormat(read('generic.csv')).format).toBe('csv')
  })
})

describe('Suricata eve.json', () => {
  it('reads DNS v3 requests/responses, v2 grouped and v1 answers, alerts; reports a broken line', () => {
    const sink = recordingSink()
    feed(read('eve-dns-v3.json'), createJsonLinesReader(sink, 1))
    const dns = sink.calls.filter((c) => c[0] === 'dns')
    expect(dns.map((c) => c.slice(2, 7))).toEqual([
      ['10.9.0.5', '10.9.0.1', 'twitter.com', [], true],
      ['10.9.0.5', '10.9.0.1', 'twitter.com', ['104.244.42.1'], false],
      ['10.9.0.5', '10.9.0.1', 'example.org', ['192.0.2.44', 'edge.example.org'], false],
      ['10.9.0.5', '10.9.0.1', 'v1.example', ['192.0.2.45'], false],
    ])
    const alert = sink.calls.find((c) => c[0] === 'alert')!
    expect(alert.slice(2, 9)).toEqual([
      '10.9.0.5',
      '198.51.100.9',
      443,
      'ET MALWARE Test beacon',
      2030000,
      1,
      'A Network Trojan was detected',
    ])
    expect(sink.calls.filter((c) => c[0] === 'malformed')).toEqual([
      ['malformed', 1, 6, 'not valid JSON'],
    ])
  })
})

describe('Zeek TSV', () => {
  const header = (fields: string[], sep = '\t') =>
    `#separator ${sep === '\t' ? '\\x09' : sep}\n#set_separator${sep},\n#empty_field${sep}(empty)\n#unset_field${sep}-\n#path${sep}dns\n#fields${sep}${fields.join(sep)}\n`

  it('follows the header: column order, separator, unset/empty markers, set separator', () => {
    const fields = ['query', 'id.orig_h', 'ts', 'answers', 'id.resp_h', 'qtype']
    const text = `${header(fields, '|')}c2.example|10.0.0.5|1700000000.25|1.2.3.4,alias.example|10.0.0.1|1\nx.example|10.0.0.6|1700000001.0|(empty)|10.0.0.1|1\ntoo|few\n`
    const sink = recordingSink()
    feed(text, createZeekTsvReader(sink, 0))
    expect(sink.calls).toEqual([
      [
        'dns',
        1700000000.25,
        '10.0.0.5',
        '10.0.0.1',
        'c2.example',
        ['1.2.3.4', 'alias.example'],
        true,
        0,
        7,
      ],
      ['dns', 1700000001, '10.0.0.6', '10.0.0.1', 'x.example', [], true, 0, 8],
      ['malformed', 0, 9, 'expected 6 fields, found 2'],
    ])
  })

  it('conn.log fast path: masked times are untimed, not malformed; escapes decode', () => {
    const fields = [
      'ts',
      'uid',
      'id.orig_h',
      'id.orig_p',
      'id.resp_h',
      'id.resp_p',
      'proto',
      'duration',
      'orig_bytes',
      'conn_state',
    ]
    const rows = [
      '1700000000.5\tCa\t10.0.0.5\t5000\t203.0.113.10\t443\ttcp\t0.5\t100\tSF',
      'XXXXXXXXXX.XXXXXX\tCb\t10.0.0.5\t5001\t203.0.113.10\t443\ttcp\t-\t-\tS0',
      'garbage\tCc\t10.0.0.5\t5001\t203.0.113.10\t443\ttcp\t-\t-\tS0',
    ]
    const sink = recordingSink()
    feed(
      `${header(fields).replace('#path\tdns', '#path\tconn')}${rows.join('\n')}\n`,
      createZeekTsvReader(sink, 0),
    )
    expect(sink.calls[0]).toEqual([
      'conn',
      1700000000.5,
      '10.0.0.5',
      '203.0.113.10',
      443,
      'tcp',
      100,
      0.5,
      'Ca',
      0,
      7,
    ])
    expect(sink.calls[1]![0]).toBe('conn')
    expect(Number.isNaN(sink.calls[1]![1])).toBe(true)
    expect(sink.calls[2]).toEqual(['malformed', 0, 9, "bad ts 'garbage'"])
  })
})

describe('formats and times', () => {
  it('detects from content, never the name', () => {
    expect(detectFormat('#separator \\x09\n#path\tssl\n#fields\tts\tserver_name\n').zeek).toBe(
      'ssl',
    )
    expect(
      detectFormat(
        '{"ts":"2018-03-24T17:15:20.615923Z","id.orig_h":"1.2.3.4","query":"a","qtype":1}',
      ).zeek,
    ).toBe('dns')
    expect(
      detectFormat('{"timestamp":"2021-06-06T15:57:37+0200","event_type":"flow"}').format,
    ).toBe('suricata-eve')
    expect(detectFormat('hello world').format).toBe('unknown')
  })
  it('parses ISO-8601 with offsets and fractions', () => {
    expect(parseIsoTime('2021-06-06T15:57:37.272281+0200')).toBeCloseTo(1622987857.272281, 5)
    expect(parseIsoTime('2018-03-24T17:15:20Z')).toBe(1521911720)
    expect(parseIsoTime('yesterday')).toBeNaN()
  })
})
