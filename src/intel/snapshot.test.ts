import { randomBytes } from 'node:crypto'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { FILE_TYPES } from '../core/artifact.js'
import { buildIntel } from './build-index.js'
import { HashBatch, type HashTemplate } from './hash-batch.js'
import type { Intel } from './intel.js'
import { loadIntel } from './load.js'
import type { IntelRecord } from './records.js'
import { type IntelSnapshot, intelFromSnapshot, snapshotIntel } from './snapshot.js'

const N = 1_000_000

/** What postMessage / workerData do to a value: the structured clone, through a real port. */
function postedThrough(s: IntelSnapshot): IntelSnapshot {
  const { port1, port2 } = new MessageChannel()
  port1.postMessage(s)
  const got = receiveMessageOnPort(port2)
  port1.close()
  return got!.message as IntelSnapshot
}

const template: HashTemplate = {
  kind: 'file',
  severity: 'high',
  id: 'feed',
  source: 'big-feed',
  confidence: 'high',
  references: ['https://example.org/feed'],
}

const extra: IntelRecord[] = [
  ...[
    ['ip', '203.0.113.7'],
    ['ip', '2001:db8::7'],
    ['cidr', '198.51.100.0/24'],
    ['cidr', '2001:db8:3c::/48'],
  ].map(
    ([type, value]): IntelRecord => ({
      kind: 'network',
      type: type as 'ip' | 'cidr',
      value: value!,
      severity: 'high',
      id: value!,
      source: 'extra',
      confidence: 'high',
      references: [],
    }),
  ),
  {
    kind: 'file',
    type: 'path',
    value: 'appdata/local/x.dll',
    severity: 'medium',
    id: 'p',
    source: 'extra',
    confidence: 'medium',
    references: [],
  },
]

/** Every lookup of the API, over the values the intel holds and some it does not. */
function answers(intel: Intel, records: readonly IntelRecord[], probes: readonly string[]) {
  const out: unknown[] = [
    intel.sources,
    intel.fingerprint,
    intel.advisories,
    intel.yara,
    FILE_TYPES.map((t) => [...intel.hashKindsFor(t)].sort()),
  ]
  for (const r of records) {
    if (r.kind === 'file') {
      for (const kind of ['sha256', 'sha1', 'md5'] as const)
        out.push(intel.lookupHash(kind, r.value))
      out.push(intel.matchFile(`Users/a/${r.value}`), intel.matchFile(`x.zip!/${r.value}`))
    } else if (r.kind === 'network') {
      out.push(
        intel.matchDomain(r.value),
        intel.matchDomain(`sub.${r.value}`),
        intel.matchUrl(r.value),
        intel.matchUrl(`https://${r.value}/x`),
        intel.matchIp(r.value.split('/')[0]!),
      )
    }
  }
  for (const p of probes)
    for (const kind of ['sha256', 'md5'] as const) out.push(intel.lookupHash(kind, p))
  out.push(
    intel.matchIp('198.51.100.200'),
    intel.matchIp('2001:db8:3c:1::9'),
    intel.matchIp('8.8.8.8'),
  )
  return out
}

describe('intel snapshots for worker threads', () => {
  it('give the same answer to every lookup after a postMessage round trip', async () => {
    const { intel: pack } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    const md5s = HashBatch.build(
      'md5',
      randomBytes(16 * 500),
      { ...template, platform: 'windows' },
      {
        prefix: 'list.csv#',
        suffixes: Array.from({ length: 500 }, (_, i) => String(i + 2)).join(' '),
      },
    )
    const records = [...pack.records, ...extra]
    const intel = buildIntel(records, pack.sources, [md5s])
    const copy = intelFromSnapshot(postedThrough(snapshotIntel(intel)))
    const probes = [0, 7, 499].map((i) => md5s.valueAt(i))
    expect(answers(copy, records, probes)).toEqual(answers(intel, records, probes))
    expect(copy.records).toEqual(intel.records)
    expect(copy.lookupHash('md5', probes[1]!)[0]).toMatchObject({
      id: 'list.csv#9',
      platform: 'windows',
    })
  })

  it('carry a 1,000,000-indicator batch without copying or rebuilding it, well under a second', () => {
    const digests = randomBytes(32 * N)
    const batch = HashBatch.build('sha256', digests, template, {
      prefix: 'feed.csv#',
      suffixes: Array.from({ length: N }, (_, i) => String(i + 2)).join(' '),
    })
    const intel = buildIntel(extra, [{ source: 'big-feed', version: '1', records: N }], [batch])
    const cpu = process.cpuUsage()
    const wall = performance.now()
    const posted = postedThrough(snapshotIntel(intel))
    const copy = intelFromSnapshot(posted)
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    const wallMs = performance.now() - wall
    if (process.env.VIGIL_SCALE_STATS)
      console.log(
        `1M snapshot round trip: ${cpuMs.toFixed(1)} ms CPU, ${wallMs.toFixed(1)} ms wall`,
      )
    expect(cpuMs).toBeLessThan(250)
    expect(posted.batches[0]!.words.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(posted.batches[0]!.table.buffer).toBeInstanceOf(SharedArrayBuffer)
    const probes = [0, 1, 4242, N - 1].map((i) => digests.toString('hex', i * 32, i * 32 + 32))
    probes.push(randomBytes(32).toString('hex'))
    expect(answers(copy, extra, probes)).toEqual(answers(intel, extra, probes))
    expect(copy.lookupHash('sha256', probes[2]!)[0]).toMatchObject({ id: 'feed.csv#4244' })
    expect(copy.fingerprint).toBe(intel.fingerprint)
  }, 60_000)

  it('can leave the advisories out (matched in finish() on the main thread only)', async () => {
    const { intel } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    const lean = intelFromSnapshot(postedThrough(snapshotIntel(intel, { advisories: false })))
    expect(intel.advisories.length).toBeGreaterThan(5)
    expect(lean.advisories).toEqual([])
    const rest = intel.records.filter((r) => r.kind !== 'advisory')
    const noAdvisories = (a: unknown[]) => a.filter((_, i) => i !== 2)
    expect(noAdvisories(answers(lean, rest, []))).toEqual(noAdvisories(answers(intel, rest, [])))
    expect(lean.fingerprint).toBe(intel.fingerprint)
  })

  it('refuses an Intel that buildIntel() did not make', () => {
    const { records: _, ...rest } = buildIntel([], [])
    expect(() => snapshotIntel({ ...rest, records: [] })).toThrow(/not made by buildIntel/)
  })
})
