import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fuzzIterations, mulberry32 as rng } from '../../binary/fuzz.js'
import { buildIntel } from '../../intel/build-index.js'
import { Aggregator } from '../aggregate.js'
import { scoreBeacon } from '../beacon/score.js'
import { IocCollector } from '../detect/ioc-collector.js'
import type { NetSink } from '../sink.js'
import { createCsvReader } from './csv.js'
import { detectFormat } from './detect.js'
import { createJsonLinesReader } from './json-lines.js'
import type { LineHandler } from './lines.js'
import { feed } from './recording-sink.js'
import { createSquidReader } from './squid.js'
import { createZeekTsvReader } from './zeek-tsv.js'

const ITERATIONS = fuzzIterations()
const TESTDATA = join(import.meta.dirname, '../testdata')

const ZEEK_CONN = `#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\torig_ip_bytes\ttunnel_parents
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tcount\tset[string]
1672843056.913119\tCXHB1X22027MRWU6D\t10.136.0.18\t55548\t10.136.0.16\t3128\ttcp\thttp,ssl\t0.084044\t1030\t20275\tSF\t1974\t-
1672843057.913119\tCXHB1X22027MRWU6E\tfe80::1\t55549\t2001:db8::2\t443\ttcp\t-\t1.5\t-\t-\tS0\t60\t(empty)
1672843058.913119\tCXHB1X22027MRWU6F\t10.136.0.18\t55550\t10.136.0.16\t3128\tudp\tdns\t-\t10\t20\tSF\t74\t-
`
const ZEEK_HTTP = `#separator \\x09
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\tproxied
1672845160.567292\tCQvy4K28GaAXCSQdrb\t10.136.0.18\t42024\t10.136.0.16\t3128\tCONNECT\twww.honestimnotevil.com\twww.honestimnotevil.com:443\tPROXY-CONNECTION -> Keep-Alive
1672845161.567292\tCQvy4K28GaAXCSQdrc\t10.136.0.18\t42025\t185.199.108.133\t80\tGET\traw.githubusercontent.com\t/IconStorages/images/main/icon1.ico\t-
`

const FIXTURES: { name: string; text: Buffer; make: (sink: NetSink) => LineHandler }[] = [
  { name: 'zeek conn', text: Buffer.from(ZEEK_CONN), make: (s) => createZeekTsvReader(s, 0) },
  { name: 'zeek http', text: Buffer.from(ZEEK_HTTP), make: (s) => createZeekTsvReader(s, 0) },
  {
    name: 'eve',
    text: readFileSync(join(TESTDATA, 'eve-dns-v3.json')),
    make: (s) => createJsonLinesReader(s, 0),
  },
  {
    name: 'squid',
    text: readFileSync(join(TESTDATA, 'squid-access.log')),
    make: (s) => createSquidReader(s, 0),
  },
  {
    name: 'csv',
    text: readFileSync(join(TESTDATA, 'generic.csv')),
    make: (s) => createCsvReader(s, 0),
  },
]

const INTERESTING = [9, 10, 13, 0, 0x22, 0x2c, 0x2e, 0x2d, 0x23, 0x5c, 0x7b, 0x7d, 0x3a, 0xff, 0x58]

function mutate(src: Buffer, r: () => number): Buffer {
  let b = Buffer.from(src)
  const n = 1 + Math.floor(r() * 4)
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * b.length)
    const op = Math.floor(r() * 5)
    if (op === 0) b[at] = Math.floor(r() * 256)
    else if (op === 1) b[at] = INTERESTING[Math.floor(r() * INTERESTING.length)]!
    else if (op === 2)
      b = Buffer.concat([
        b.subarray(0, at),
        b.subarray(Math.min(b.length, at + 1 + Math.floor(r() * 40))),
      ])
    else if (op === 3)
      b = Buffer.concat([
        b.subarray(0, at),
        b.subarray(at, at + Math.floor(r() * 80)),
        b.subarray(at),
      ])
    else
      b = Buffer.concat([
        b.subarray(0, at),
        Buffer.from([INTERESTING[Math.floor(r() * INTERESTING.length)]!]),
        b.subarray(at),
      ])
  }
  return b
}

describe('network log readers survive hostile input', () => {
  const intel = buildIntel([], [])
  for (const fx of FIXTURES) {
    it(`${fx.name}: ${ITERATIONS} mutations parse without throwing`, () => {
      const r = rng(fx.name.length * 7919)
      let malformed = 0
      for (let i = 0; i < ITERATIONS; i++) {
        const agg = new Aggregator(new IocCollector(intel))
        const input = mutate(fx.text, r)
        feed(input, fx.make(agg))
        agg.endFile(0)
        detectFormat(input.toString('utf8'))
        for (const p of agg.allPairs())
          scoreBeacon(p.ts.values(), p.bytes.values(), agg.min, agg.max)
        malformed += agg.malformedCount
      }
      expect(malformed).toBeGreaterThan(0)
    })
  }
})
