import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Artifact } from '../core/artifact.js'
import type { Detector } from '../core/plugin.js'
import type { Report } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import type { IntelRecord } from '../intel/records.js'
import { electronAppCataloger } from '../inventory/electron/electron-app.js'
import { fileHashDetector } from '../ioc/file-hash.js'
import { defaultCacheDir, ScanCache } from './cache.js'
import { emptyResult, storedEntry, summaryOf } from './entry-result.js'
import { ResultLog, statKey } from './result-log.js'
import { scan } from './scan.js'

/** A detector that records every artifact it is handed and reads its bytes. */
function spy(): Detector & { seen: string[] } {
  const seen: string[] = []
  return {
    name: 'test/spy',
    version: 1,
    layer: 'structure',
    seen,
    async detect(a: Artifact) {
      seen.push(a.path)
      await a.bytes()
      return []
    },
  }
}

describe('scan cache', () => {
  let dir: string
  let target: string
  let cacheDir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cache-'))
    target = join(dir, 't')
    cacheDir = join(dir, 'cache')
    mkdirSync(target)
    writeFileSync(join(target, 'a.txt'), 'alpha')
    writeFileSync(join(target, 'b.txt'), 'bravo')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const run = (detector: Detector, records: IntelRecord[] = []) =>
    scan({
      paths: [target],
      intel: buildIntel(records, []),
      detectors: [detector, fileHashDetector],
      catalogers: [],
      cache: { dir: cacheDir },
    })

  it('does not read unchanged files again and gives the same report', async () => {
    const first = spy()
    const r1 = await run(first)
    expect(first.seen.sort()).toEqual(['a.txt', 'b.txt'])
    expect(r1.stats.cached).toBe(0)
    const [file] = readdirSync(cacheDir)
    const written = statSync(join(cacheDir, file!)).mtimeMs
    await new Promise((r) => setTimeout(r, 20))
    const second = spy()
    const r2 = await run(second)
    expect(second.seen).toEqual([])
    expect(statSync(join(cacheDir, file!)).mtimeMs).toBe(written) // nothing changed: not rewritten
    expect(r2.stats.cached).toBe(2)
    expect(r2.stats.files).toBe(2)
    expect(r2.findings).toEqual(r1.findings)
  })

  it('rescans on scan threads, the walk on a thread of its own, to the same report', async () => {
    mkdirSync(join(target, 'sub'))
    writeFileSync(join(target, 'sub', 'c.txt'), 'charlie')
    symlinkSync(join(target, 'a.txt'), join(target, 'link'))
    const threaded = () =>
      scan({
        paths: [target],
        intel: buildIntel([], []),
        plugins: ['ioc/file-hash'],
        threads: 2,
        listFiles: true,
        cache: { dir: cacheDir },
      })
    const first = await threaded() // no cache file yet: walked on the calling thread
    const again = await threaded()
    expect(first.stats.cached).toBe(0)
    expect(again.stats.cached).toBe(3)
    const strip = (r: Report) => ({
      ...r,
      createdAt: '',
      stats: { ...r.stats, durationMs: 0, cached: 0 },
    })
    expect(strip(again)).toEqual(strip(first))
    expect(again.files?.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'sub/c.txt'])
  })

  it('re-reads a changed file, even when its size and mtime are restored', async () => {
    const a = join(target, 'a.txt')
    utimesSync(a, 1_000_000, 1_000_000)
    await run(spy())
    const before = statSync(a)
    await new Promise((r) => setTimeout(r, 20))
    writeFileSync(a, 'ALPHA')
    utimesSync(a, 1_000_000, 1_000_000)
    const after = statSync(a)
    expect([after.size, after.mtimeMs, after.ino]).toEqual([
      before.size,
      before.mtimeMs,
      before.ino,
    ])
    const s = spy()
    const r2 = await run(s)
    expect(s.seen).toEqual(['a.txt'])
    // The cache written then holds both: the new result and the one replayed from the old file.
    const third = spy()
    const r3 = await run(third)
    expect(third.seen).toEqual([])
    expect(r3.stats.cached).toBe(2)
    expect({ ...r3, createdAt: '', stats: { ...r3.stats, durationMs: 0, cached: 0 } }).toEqual({
      ...r2,
      createdAt: '',
      stats: { ...r2.stats, durationMs: 0, cached: 0 },
    })
  })

  it('re-evaluates everything when the intel changes', async () => {
    await run(spy())
    const s = spy()
    const record: IntelRecord = {
      kind: 'file',
      type: 'sha256',
      value: '8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8',
      severity: 'high',
      id: 'x',
      source: 'test',
      confidence: 'high',
      references: [],
    }
    const r = await run(s, [record])
    expect(s.seen.sort()).toEqual(['a.txt', 'b.txt'])
    expect(r.stats.cached).toBe(0)
    expect(r.findings.map((f) => [f.ruleId, f.locations[0]?.path])).toEqual([
      ['ioc/file-sha256', 'a.txt'],
    ])
  })

  it('ignores a corrupt cache file with a warning and rebuilds it', async () => {
    await run(spy())
    const [file] = readdirSync(cacheDir)
    writeFileSync(join(cacheDir, file!), '{"format":2,"fingerprint":')
    const s = spy()
    const r = await run(s)
    expect(s.seen.sort()).toEqual(['a.txt', 'b.txt'])
    expect(r.problems.find((p) => p.stage === 'cache')?.message).toMatch(/corrupt \(.*\); ignored/)
    const again = spy()
    await run(again)
    expect(again.seen).toEqual([])
    const [header] = readFileSync(join(cacheDir, file!), 'utf8').split('\n')
    writeFileSync(join(cacheDir, file!), `${header}\n["x",[1,2,3],{"files":3}]\n`)
    const third = spy()
    const r3 = await run(third)
    expect(third.seen.sort()).toEqual(['a.txt', 'b.txt'])
    expect(r3.problems.find((p) => p.stage === 'cache')?.message).toMatch(/bad entry/)
  })

  it('scans again the file of a damaged entry, with a warning, and keeps the others', async () => {
    await run(spy())
    const [file] = readdirSync(cacheDir)
    const lines = readFileSync(join(cacheDir, file!), 'utf8').split('\n')
    const i = lines.findIndex((l) => l.includes('a.txt'))
    const fields = lines[i]!.split('\t')
    fields[2] = '{"components":7}'
    lines[i] = fields.join('\t')
    writeFileSync(join(cacheDir, file!), lines.join('\n'))
    const s = spy()
    const r = await run(s)
    expect(s.seen).toEqual(['a.txt'])
    expect(r.stats.cached).toBe(1)
    expect(r.problems.find((p) => p.stage === 'cache')?.message).toMatch(/damaged entry/)
  })

  it('re-reads the files of a directory that gains or loses a resources/ entry', async () => {
    // The Electron cataloger searches a binary for the runtime's user agent only when a
    // resources/ directory is beside it: a cached "no runtime" must not outlive that change.
    const elf = join(import.meta.dirname, '../inventory/electron/testdata/linux/3cx-desktop-app')
    const app = join(target, 'app')
    mkdirSync(app)
    copyFileSync(join(elf, '3cx-desktop-app'), join(app, 'app'))
    const electron = () =>
      scan({
        paths: [target],
        intel: buildIntel([], []),
        detectors: [],
        catalogers: [electronAppCataloger],
        cache: { dir: cacheDir },
      })
    const runtime = (r: Report) => r.components.filter((c) => c.name === 'electron').length
    const r1 = await electron()
    expect(runtime(r1)).toBe(0)
    mkdirSync(join(app, 'resources'))
    writeFileSync(join(app, 'resources', 'notes.txt'), 'x')
    const r2 = await electron()
    expect(r2.stats.cached).toBe(2) // a.txt, b.txt: their directory did not change
    expect(runtime(r2)).toBe(1)
    rmSync(join(app, 'resources'), { recursive: true })
    const r3 = await electron()
    expect(r3.stats.cached).toBe(2)
    expect(runtime(r3)).toBe(0)
  })

  it('lives under XDG_CACHE_HOME or ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/c' })).toBe('/x/c/vigil')
    expect(defaultCacheDir({})).toMatch(/\.cache\/vigil$/)
  })

  it('keeps an entry whose line is longer than a read and whose summary is long (a jar with thousands of members)', async () => {
    const file = join(target, 'a.txt')
    const st = statSync(file)
    const big = emptyResult()
    for (let i = 0; i < 40_000; i++) {
      big.files.push({
        path: `big.jar!/org/example/some/long/package/name/Class${i}.class`,
        size: i,
        type: 'other',
        hashes: { sha256: i.toString(16).padStart(64, '0') },
      })
    }
    // A summary over the size the index keeps: read from the file on a hit.
    for (let i = 0; i < 20; i++) {
      big.problems.push({
        stage: 'read',
        path: `big.jar!/p${i}`,
        message: 'x'.repeat(40),
        level: 'warning',
      })
    }
    const b = join(target, 'b.txt')
    const first = await ScanCache.open(cacheDir, [target], 'fp', () => {})
    expect(first.get(Buffer.from(file), statKey(st, false))).toBeUndefined()
    mkdirSync(cacheDir, { recursive: true })
    const log = ResultLog.create(join(cacheDir, 'next.tmp'), first.header)
    log.append(Buffer.from(file).toString('latin1'), statKey(st, false), storedEntry(big))
    log.append(
      Buffer.from(b).toString('latin1'),
      statKey(statSync(b), false),
      storedEntry(emptyResult()),
    )
    await first.commit(log, new Set())
    const [cached] = readdirSync(cacheDir)
    expect(statSync(join(cacheDir, cached!)).size).toBeGreaterThan(4 * 1024 * 1024)
    const again = await ScanCache.open(cacheDir, [target], 'fp', () => {})
    const hit = again.get(Buffer.from(file), statKey(st, false))
    expect(hit?.summary).toEqual(summaryOf(big))
    const lines: string[] = []
    for await (const l of again.lines(new Set([hit!.offset]))) lines.push(l.toString('utf8'))
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!.split('\t')[4]!)).toEqual(big.files)
    expect(again.get(Buffer.from(b), statKey(statSync(b), false))?.summary).toEqual(
      summaryOf(emptyResult()),
    )
    again.close()
  })
})
