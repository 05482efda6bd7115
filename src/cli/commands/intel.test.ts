import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readIntelPath } from '../../intel/importers/read.js'
import { currentVersion } from '../../intel/store.js'
import { runIntel } from './intel.js'

const data = (name: string) => join(import.meta.dirname, '..', '..', 'intel', 'testdata', name)
let stdout = ''

beforeEach(() => {
  stdout = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s)
    return true
  })
})
afterEach(() => vi.restoreAllMocks())

describe('vigil intel (CLI)', () => {
  it('imports every format, lists sources, shows a record by value', async () => {
    const store = await mkdtemp(join(tmpdir(), 'vigil-cli-'))
    expect(
      await runIntel([
        'import',
        data('indicators.csv'),
        data('stix-3cx.json'),
        data('misp-3cx.json'),
        data('osv-all.zip'),
        data('rules-good.yar'),
        '--store',
        store,
      ]),
    ).toBe(0)
    stdout = ''
    expect(await runIntel(['list', '--json', '--store', store])).toBe(0)
    const listed = JSON.parse(stdout) as {
      sources: { source: string; where: string; format?: string; records: number }[]
    }
    expect(listed.sources.map((s) => [s.source, s.where, s.format ?? 'vigil'])).toEqual([
      ['vigil-pack', 'bundled', 'vigil'],
      ['indicators.csv', 'store', 'csv'],
      ['misp-3cx.json', 'store', 'misp'],
      ['osv-all.zip', 'store', 'osv-zip'],
      ['rules-good.yar', 'store', 'yara'],
      ['stix-3cx.json', 'store', 'stix'],
    ])
    stdout = ''
    expect(await runIntel(['show', 'akamaicontainer.com', '--store', store, '--no-bundled'])).toBe(
      0,
    )
    const shown = JSON.parse(stdout) as { source: string }[]
    expect(shown.map((r) => r.source).sort()).toEqual([
      'indicators.csv',
      'misp-3cx.json',
      'stix-3cx.json',
    ])
  })

  it('leaves the store untouched when one input is malformed', async () => {
    const store = await mkdtemp(join(tmpdir(), 'vigil-cli-'))
    await runIntel(['import', data('indicators.csv'), '--store', store])
    const before = await currentVersion(store)
    await expect(
      runIntel(['import', data('crlf.csv'), data('bad-hash.csv'), '--store', store]),
    ).rejects.toThrow(/bad-hash\.csv: line 3: .*the store is unchanged/)
    expect(await currentVersion(store)).toEqual(before)
    expect((await readdir(store)).filter((n) => n.startsWith('v-'))).toHaveLength(1)
  })

  it('exports STIX that imports back with the same indicators and context', async () => {
    const store = await mkdtemp(join(tmpdir(), 'vigil-cli-'))
    const out = join(store, 'export.json')
    expect(await runIntel(['export', '--format', 'stix', '--output', out, '--store', store])).toBe(
      0,
    )
    const back = await readIntelPath(out)
    const ffmpeg = back.records.find(
      (r) =>
        r.kind === 'file' &&
        r.value === '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896',
    )
    expect(ffmpeg).toMatchObject({
      campaign: '3CX SmoothOperator',
      actor: 'Labyrinth Chollima / UNC4736',
      malware: 'SUDDENICON / ICONIC',
      confidence: 'high',
    })
    const csvOut = join(store, 'export.csv')
    expect(
      await runIntel(['export', '--format', 'csv', '--output', csvOut, '--store', store]),
    ).toBe(0)
    const csv = await readIntelPath(csvOut)
    expect(csv.records.filter((r) => r.kind === 'file' || r.kind === 'network').length).toBe(
      back.records.filter((r) => r.kind === 'file' || r.kind === 'network').length,
    )
  })
})
