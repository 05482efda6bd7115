import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportRecords } from '../export.js'
import type { FileIndicator, IntelRecord } from '../records.js'
import { importCsv } from './csv.js'
import { importMisp } from './misp.js'
import { readIntelPath } from './read.js'
import { importStix } from './stix.js'
import { readVigil, writeVigil } from './vigil-ndjson.js'

const data = (name: string) => join(import.meta.dirname, '..', 'testdata', name)
const hashes = (records: IntelRecord[]) =>
  records
    .filter((r): r is FileIndicator => r.kind === 'file' && r.type !== 'filename')
    .map((r) => [r.type, r.value.slice(0, 8), r.sampleSha256?.slice(0, 8)])

const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const MD5_C = 'c'.repeat(32)
const SHA1_D = 'd'.repeat(40)

function stixBundle(pattern: string) {
  return {
    type: 'bundle',
    id: 'bundle--1',
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--1',
        pattern,
        pattern_type: 'stix',
        valid_from: '2023-01-01T00:00:00Z',
      },
    ],
  }
}

describe('weak hashes linked to their sample SHA-256', () => {
  it('STIX: the hashes OR-ed in one observation over one file are one sample', async () => {
    const { records } = await readIntelPath(data('stix-3cx.json'))
    expect(hashes(records)).toEqual([
      ['sha256', '7986bbae', undefined],
      ['md5', '74bc2d0b', '7986bbae'],
      ['sha256', 'c485674e', undefined],
    ])
  })

  it('STIX: AND of hashes links too; two SHA-256s, two MD5s or two objects do not', () => {
    const stix = (p: string) => hashes(importStix(stixBundle(p), 'x.json', 'x'))
    expect(
      stix(
        `[file:hashes.MD5 = '${MD5_C}' AND file:hashes.'SHA-1' = '${SHA1_D}' AND file:hashes.'SHA-256' = '${SHA_A}']`,
      ),
    ).toEqual([
      ['md5', 'cccccccc', 'aaaaaaaa'],
      ['sha1', 'dddddddd', 'aaaaaaaa'],
      ['sha256', 'aaaaaaaa', undefined],
    ])
    expect(
      stix(
        `[file:hashes.'SHA-256' = '${SHA_A}' OR file:hashes.'SHA-256' = '${SHA_B}' OR file:hashes.MD5 = '${MD5_C}']`,
      ),
    ).toEqual([
      ['sha256', 'aaaaaaaa', undefined],
      ['sha256', 'bbbbbbbb', undefined],
      ['md5', 'cccccccc', undefined],
    ])
    expect(
      stix(
        `[file:hashes.'SHA-256' = '${SHA_A}' OR file:hashes.MD5 = '${MD5_C}' OR file:hashes.MD5 = '${'e'.repeat(32)}']`,
      ),
    ).toEqual([
      ['sha256', 'aaaaaaaa', undefined],
      ['md5', 'cccccccc', undefined],
      ['md5', 'eeeeeeee', undefined],
    ])
    expect(
      stix(`[file:hashes.'SHA-256' = '${SHA_A}' OR artifact:hashes.MD5 = '${MD5_C}']`),
    ).toEqual([
      ['sha256', 'aaaaaaaa', undefined],
      ['md5', 'cccccccc', undefined],
    ])
    // Separate observations are separate files.
    expect(stix(`[file:hashes.'SHA-256' = '${SHA_A}'] OR [file:hashes.MD5 = '${MD5_C}']`)).toEqual([
      ['sha256', 'aaaaaaaa', undefined],
      ['md5', 'cccccccc', undefined],
    ])
  })

  it('CSV: a sample_sha256 column, written by export and read back; only on weak rows', () => {
    const text = `type,value,severity,platform,sample_sha256\nmd5,${MD5_C},high,windows,${SHA_A.toUpperCase()}\nsha1,${SHA1_D},high,,\n`
    const records = importCsv(text, 'f.csv', 'f.csv')
    expect(hashes(records)).toEqual([
      ['md5', 'cccccccc', 'aaaaaaaa'],
      ['sha1', 'dddddddd', undefined],
    ])
    const back = importCsv(exportRecords(records, 'csv', { source: 'f', version: '1' }), 'g', 'g')
    expect(hashes(back)).toEqual(hashes(records))
    expect(() =>
      importCsv(`type,value,sample_sha256\nsha256,${SHA_B},${SHA_A}\n`, 'bad.csv', 'b'),
    ).toThrow(/bad\.csv: line 2: sample_sha256 is for sha1 and md5 rows only/)
    expect(() => importCsv(`type,value,sample_sha256\nmd5,${MD5_C},abc\n`, 'bad.csv', 'b')).toThrow(
      /bad\.csv: line 2: sample_sha256: sha256 must be 64 hex digits/,
    )
  })

  it('NDJSON: linked records stay plain lines (never a bulk line) and are checked on load', () => {
    const records: IntelRecord[] = Array.from({ length: 300 }, (_, i) => ({
      kind: 'file',
      type: 'md5',
      value: i.toString(16).padStart(32, '0'),
      severity: 'high',
      id: 'same',
      source: 's',
      confidence: 'high',
      references: [],
      sampleSha256: i.toString(16).padStart(64, 'a'),
    }))
    const text = writeVigil({ source: 's', version: '1' }, records)
    const back = readVigil(text, 's.ndjson')
    expect(back.batches).toEqual([])
    expect(back.records).toEqual(records)
    const bad = text.replace(/"sampleSha256":"a+/, '"sampleSha256":"X')
    expect(() => readVigil(bad, 's.ndjson')).toThrow(
      /s\.ndjson: line 2: sampleSha256 must be 64 lowercase hex digits/,
    )
  })

  it('MISP: the hashes of one file object are one sample; loose attributes are not', async () => {
    const { records } = await readIntelPath(data('misp-3cx.json'))
    const d3d = records.filter(
      (r): r is FileIndicator => r.kind === 'file' && r.type === 'md5' && r.value.startsWith('8'),
    )
    expect(d3d.map((r) => r.sampleSha256)).toEqual([
      '11be1803e2e307b647a8a7e02d128335c448ff741bf06bf52b332e0bbf423b03',
    ])
    const attr = (type: string, value: string) => ({ type, value, to_ids: true })
    const event = {
      Event: {
        info: 'e',
        Attribute: [attr('sha256', SHA_A), attr('md5', MD5_C)],
        Object: [
          { name: 'file', Attribute: [attr('sha256', SHA_B), attr('sha1', SHA1_D)] },
          { name: 'report', Attribute: [attr('sha256', SHA_A), attr('md5', MD5_C)] },
        ],
      },
    }
    expect(hashes(importMisp(event, 'e.json', 'e'))).toEqual([
      ['sha256', 'aaaaaaaa', undefined],
      ['md5', 'cccccccc', undefined],
      ['sha256', 'bbbbbbbb', undefined],
      ['sha1', 'dddddddd', 'bbbbbbbb'],
      ['sha256', 'aaaaaaaa', undefined],
      ['md5', 'cccccccc', undefined],
    ])
  })
})
