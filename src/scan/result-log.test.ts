import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildIntel } from '../intel/build-index.js'
import { fileHashDetector } from '../ioc/file-hash.js'
import { elfSummaryDetector } from '../structure/elf-summary.js'
import { emptyResult, storedEntry } from './entry-result.js'
import { FIELD, fieldBounds, logLines, ResultLog } from './result-log.js'
import { scan } from './scan.js'

describe('result log', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-log-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('gives every line with its byte offset, lines across and longer than a read included', async () => {
    const lines = ['h', 'x'.repeat(5 * 1024 * 1024), '', 'é', 'y'.repeat(4 * 1024 * 1024 - 3), 'z']
    const file = join(dir, 'l')
    writeFileSync(file, lines.join('\n'))
    const raw = readFileSync(file)
    const got: string[] = []
    for await (const { offset, line } of logLines(file)) {
      expect(raw.subarray(offset, offset + line.length).equals(line)).toBe(true)
      got.push(line.toString('utf8'))
    }
    expect(got).toEqual(lines)
  })

  it('reads back the binaries and file records of every entry, and stored lines as they are', async () => {
    const a = emptyResult()
    a.files.push({ path: 'a\tb', size: 1, type: 'elf', hashes: { sha256: '0'.repeat(64) } })
    a.binaries.push({ path: 'a\tb', format: 'elf' })
    const b = emptyResult()
    b.files.push({ path: 'c\n', size: 2, type: 'text', hashes: { sha256: '1'.repeat(64) } })
    const log = ResultLog.create(join(dir, 'log'), '{"h":1}')
    log.append('/t/a\tb', [1, 2, 3, 4, 0], storedEntry(a))
    log.append('/t/c', [5, 6, 7, 8, 1], storedEntry(b))
    log.close()
    const copy = ResultLog.create(join(dir, 'copy'), '{"h":1}')
    let header = true
    for await (const { line } of logLines(join(dir, 'log'))) {
      if (!header) copy.appendLine(Buffer.from(line))
      header = false
    }
    copy.close()
    expect(readFileSync(join(dir, 'copy'))).toEqual(readFileSync(join(dir, 'log')))
    const files: unknown[] = []
    for await (const t of copy.column(FIELD.files)) files.push(...JSON.parse(t))
    const binaries: unknown[] = []
    for await (const t of copy.column(FIELD.binaries)) binaries.push(...JSON.parse(t))
    expect(files).toEqual([...a.files, ...b.files])
    expect(binaries).toEqual(a.binaries)
  })

  it('takes a line as an entry only with exactly five fields', () => {
    expect(fieldBounds(Buffer.from('a\tb\tc\td\te'))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ])
    expect(fieldBounds(Buffer.from('a\tb\tc\td'))).toBeUndefined()
    expect(fieldBounds(Buffer.from('a\tb\tc\td\te\tf'))).toBeUndefined()
  })
})

describe('scan results on disk', () => {
  let dir: string
  let saved: string | undefined
  beforeAll(() => {
    // Test files run in their own processes (vitest forks): TMPDIR is this file's alone.
    saved = process.env.TMPDIR
    dir = mkdtempSync(join(tmpdir(), 'vigil-tmp-'))
    process.env.TMPDIR = dir
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
    rmSync(dir, { recursive: true, force: true })
  })

  it('leaves nothing behind in the temporary directory, finished or aborted', async () => {
    const target = mkdtempSync(join(dir, 'target-'))
    for (let i = 0; i < 50; i++) writeFileSync(join(target, `f${i}`), `file ${i}`)
    const r = await scan({
      paths: [target],
      intel: buildIntel([], []),
      detectors: [fileHashDetector],
      catalogers: [],
    })
    expect(r.stats.files).toBe(50)
    expect(readdirSync(dir).filter((n) => n.startsWith('vigil-scan-'))).toEqual([])
    const abort = new AbortController()
    const aborted = scan({
      paths: [target],
      intel: buildIntel([], []),
      detectors: [fileHashDetector],
      catalogers: [],
      onProgress: (p) => {
        if (p.files > 10) abort.abort()
      },
      signal: abort.signal,
    })
    await expect(aborted).rejects.toThrow()
    expect(readdirSync(dir).filter((n) => n.startsWith('vigil-scan-'))).toEqual([])
  })

  it('gives the same report from the cache, binary summaries and file records included', async () => {
    const target = mkdtempSync(join(dir, 'target-'))
    copyFileSync('/usr/bin/true', join(target, 'true'))
    writeFileSync(join(target, 'a.txt'), 'alpha')
    const cache = { dir: join(dir, 'cache') }
    const opts = {
      paths: [target],
      intel: buildIntel([], []),
      detectors: [elfSummaryDetector],
      catalogers: [],
      listFiles: true,
      cache,
    }
    const first = await scan(opts)
    const again = await scan(opts)
    expect(again.stats.cached).toBe(2)
    expect(first.binaries).toHaveLength(1)
    expect(first.files).toHaveLength(2)
    const same = (r: typeof first) => ({
      ...r,
      createdAt: '',
      stats: { ...r.stats, durationMs: 0, cached: 0 },
    })
    expect(same(again)).toEqual(same(first))
  })
})
