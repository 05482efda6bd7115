import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AdvisoryRecord, FileIndicator, NetworkIndicator } from '../records.js'
import { parseCsv } from './csv.js'
import { readIntelPath } from './read.js'

const data = (name: string) => join(import.meta.dirname, '..', 'testdata', name)

describe('CSV importer', () => {
  it('reads every type with RFC 4180 quoting, embedded quotes and newlines', async () => {
    const { format, records } = await readIntelPath(data('indicators.csv'))
    expect(format).toBe('csv')
    const r = records as (FileIndicator | NetworkIndicator)[]
    expect(r.map((x) => [x.kind, x.type, x.value, x.severity])).toEqual([
      [
        'file',
        'sha256',
        '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896',
        'critical',
      ],
      ['network', 'domain', 'akamaicontainer.com', 'high'],
      ['network', 'url', 'https://raw.githubusercontent.com/IconStorages/images/main/', 'high'],
      ['network', 'ip', '203.0.113.7', 'medium'],
      ['network', 'cidr', '2001:db8::/32', 'low'],
      ['file', 'filename', 'd3dcompiler_47.dll', 'info'],
    ])
    expect(r[0]!.description).toBe('backdoored ffmpeg.dll, 3CX "SmoothOperator"')
    expect(r[2]!.description).toBe('icon C2\nlist')
    expect(r[0]!.references).toEqual([
      'https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/',
    ])
    expect(r[3]!.id).toBe('indicators.csv#6')
    expect(r.every((x) => x.source === 'indicators.csv')).toBe(true)
  })

  it('accepts CRLF line ends', async () => {
    const { records } = await readIntelPath(data('crlf.csv'))
    expect(records.map((x) => (x as FileIndicator).type)).toEqual(['md5', 'sha1'])
  })

  it('names the file and line of a bad value', async () => {
    await expect(readIntelPath(data('bad-hash.csv'))).rejects.toThrow(
      /bad-hash\.csv: line 3: sha256 must be 64 hex digits/,
    )
  })

  it('rejects a missing header and unterminated quotes with the line', () => {
    expect(() => parseCsv('type,value\nsha256,"abc\n', 'x.csv')).toThrow(
      /x\.csv: line 2: unterminated/,
    )
    expect(() => parseCsv('a,b"c', 'x.csv')).toThrow(/line 1: quote inside/)
  })
})

describe('OSV importer', () => {
  const ids = (recs: unknown[]) => (recs as AdvisoryRecord[]).map((r) => r.id).sort()

  it('reads an array, drops withdrawn records, keeps provenance', async () => {
    const { format, records } = await readIntelPath(data('osv-array.json'))
    expect(format).toBe('osv')
    expect(ids(records)).toEqual(['GHSA-pjwm-rvh2-c87w', 'MAL-2018-1'])
    const mal = records.find((r) => r.id === 'MAL-2018-1') as AdvisoryRecord
    expect(mal.firstSeen).toBe('2018-11-26T00:00:00Z')
    expect(mal.references).toEqual(['https://github.com/dominictarr/event-stream/issues/116'])
    expect(mal.osv.affected?.[0]?.versions).toEqual(['0.1.1'])
  })

  it('reads a directory (skipping non-intel files) and an all.zip the same way', async () => {
    const dir = await readIntelPath(data('osv-dir'))
    const zip = await readIntelPath(data('osv-all.zip'))
    expect(dir.source.source).toBe('osv-dir')
    expect(zip.format).toBe('osv-zip')
    expect(ids(dir.records)).toEqual(ids(zip.records))
    expect(ids(zip.records)).toEqual(['GHSA-pjwm-rvh2-c87w', 'MAL-2018-1'])
  })

  it('names the JSON path of a malformed field, and the line of broken JSON', async () => {
    await expect(readIntelPath(data('osv-bad.json'))).rejects.toThrow(
      /osv-bad\.json: \$\[1\]\.affected\[0\]\.ranges\[1\]\.events\[0\]: expected one of/,
    )
    await expect(readIntelPath(data('bad-json.json'))).rejects.toThrow(
      /bad-json\.json: line 2, column 3: invalid JSON/,
    )
  })
})
