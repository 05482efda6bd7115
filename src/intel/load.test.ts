import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIntel } from './build-index.js'
import { readIntelPath } from './importers/read.js'
import { writeVigil } from './importers/vigil-ndjson.js'
import { intelAgeProblems, loadIntel } from './load.js'
import type { IntelRecord } from './records.js'
import { commitStore, currentVersion } from './store.js'

const data = (name: string) => join(import.meta.dirname, 'testdata', name)
const tmp = () => mkdtemp(join(tmpdir(), 'vigil-intel-'))

async function importInto(root: string, path: string) {
  const r = await readIntelPath(path)
  await commitStore(root, {
    add: [
      {
        info: { ...r.source, records: r.records.length },
        format: r.format,
        data: Buffer.from(writeVigil(r.source, r.records)),
      },
    ],
  })
}

describe('loadIntel', () => {
  it('loads the local store and extra files into one index', async () => {
    const root = await tmp()
    await importInto(root, data('indicators.csv'))
    const { intel, problems } = await loadIntel({
      storeDir: root,
      bundled: false,
      extra: [data('osv-dir')],
      maxAgeDays: 0,
    })
    expect(problems).toEqual([])
    expect(intel.sources.map((s) => s.source)).toEqual(['indicators.csv', 'osv-dir'])
    expect(
      intel.lookupHash(
        'sha256',
        '7986BBAEE8940DA11CE089383521AB420C443AB7B15ED42AED91FD31CE833896',
      ),
    ).toHaveLength(1)
    expect(intel.matchDomain('www.akamaicontainer.com')[0]?.value).toBe('akamaicontainer.com')
    expect(intel.matchIp('2001:db8::1')[0]?.type).toBe('cidr')
    expect(intel.advisories.map((a) => a.id).sort()).toEqual(['GHSA-pjwm-rvh2-c87w', 'MAL-2018-1'])
  })

  it('skips a tampered store source with an error problem and keeps the rest', async () => {
    const root = await tmp()
    await importInto(root, data('indicators.csv'))
    await importInto(root, data('crlf.csv'))
    const live = (await currentVersion(root))!
    const victim = live.manifest.sources.find((s) => s.source === 'crlf.csv')!
    const path = join(live.dir, victim.file)
    await writeFile(path, (await readFile(path, 'utf8')).replace('74bc', '0000'))
    const { intel, problems } = await loadIntel({ storeDir: root, bundled: false, maxAgeDays: 0 })
    expect(intel.sources.map((s) => s.source)).toEqual(['indicators.csv'])
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toMatch(/crlf\.csv' skipped: SHA-256 differs/)
  })

  it('fingerprints the intel from the sources it loaded, changing with any of them', async () => {
    const root = await tmp()
    await importInto(root, data('indicators.csv'))
    const load = async (extra: string[] = [], bundled = true) =>
      (await loadIntel({ storeDir: root, bundled, extra, maxAgeDays: 0 })).intel.fingerprint
    const base = await load()
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(await load()).toBe(base)
    expect(await load([], false)).not.toBe(base)
    const withExtra = await load([data('osv-dir')])
    expect(withExtra).not.toBe(base)
    expect(await load([data('osv-dir')])).toBe(withExtra)
    const dir = await tmp()
    const copy = join(dir, 'feed.csv')
    await writeFile(copy, await readFile(data('crlf.csv')))
    const one = await load([copy])
    await writeFile(copy, (await readFile(copy, 'utf8')).replace('74bc', '74bd'))
    expect(await load([copy])).not.toBe(one)
    await importInto(root, data('crlf.csv'))
    expect(await load()).not.toBe(base)
  })

  it('fingerprints records passed to buildIntel() by their content', () => {
    const rec = (value: string): IntelRecord => ({
      kind: 'network',
      type: 'domain',
      value,
      severity: 'high',
      id: value,
      source: 's',
      confidence: 'high',
      references: [],
    })
    const a = buildIntel([rec('a.example')], []).fingerprint
    expect(buildIntel([rec('a.example')], []).fingerprint).toBe(a)
    expect(buildIntel([rec('b.example')], []).fingerprint).not.toBe(a)
  })

  it('refuses a malformed --intel file naming it', async () => {
    await expect(
      loadIntel({ storeDir: false, bundled: false, extra: [data('bad-hash.csv')] }),
    ).rejects.toThrow(/bad-hash\.csv: line 3/)
  })

  it('warns when a source is older than the limit', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const sources = [
      { source: 'old', version: '1', date: '2025-06-01' },
      { source: 'new', version: '2', date: '2025-12-20' },
    ]
    const p = intelAgeProblems(sources, 90, now)
    expect(p).toEqual([
      {
        stage: 'intel',
        path: 'old',
        level: 'warning',
        message: "intel 'old' version 1 is 214 days old (limit 90); run 'vigil intel update'",
      },
    ])
    expect(intelAgeProblems(sources, 0, now)).toEqual([])
  })
})
