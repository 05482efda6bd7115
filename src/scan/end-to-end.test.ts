import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../cli/main.js'
import { makeAsar, makeTgz, makeZip } from '../collect/testing.js'
import type { Report } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import { fileHashDetector } from '../ioc/file-hash.js'
import { fileNameDetector } from '../ioc/file-name.js'
import { progressLine, ttyProgress } from './progress.js'
import { scan } from './scan.js'

const bad = Buffer.from('look-alike of a trojanised library, built for the test')
const badSha = createHash('sha256').update(bad).digest('hex')
const REF =
  'https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/'

describe('end to end', () => {
  let dir: string
  let target: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'))
    target = join(dir, 'target')
    mkdirSync(join(target, 'app'), { recursive: true })
    writeFileSync(join(target, 'app', 'ffmpeg.dll'), bad)
    writeFileSync(join(target, 'app', 'readme.txt'), 'clean')
    writeFileSync(join(target, 'bundle.zip'), makeZip([{ name: 'lib/ffmpeg.dll', data: bad }]))
    writeFileSync(join(target, 'release.tgz'), makeTgz([{ name: 'pkg/ffmpeg.dll', data: bad }]))
    writeFileSync(join(target, 'app.asar'), makeAsar({ 'native/ffmpeg.dll': bad, 'main.js': 'x' }))
    writeFileSync(
      join(dir, 'intel.csv'),
      `type,value,severity,description,reference\nsha256,${badSha},critical,test look-alike,${REF}\n`,
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds a known hash on disk and inside zip, tgz and asar members', async () => {
    const intel = buildIntel(
      [
        {
          kind: 'file',
          type: 'sha256',
          value: badSha,
          severity: 'critical',
          id: 'test/bad-lib',
          source: 'test',
          confidence: 'high',
          references: [REF],
        },
      ],
      [{ source: 'test', version: '1' }],
    )
    const r = await scan({
      paths: [target],
      intel,
      detectors: [fileHashDetector, fileNameDetector],
      catalogers: [],
    })
    expect(r.findings.map((f) => f.locations[0]?.path).sort()).toEqual([
      'app.asar!/native/ffmpeg.dll',
      'app/ffmpeg.dll',
      'bundle.zip!/lib/ffmpeg.dll',
      'release.tgz!/pkg/ffmpeg.dll',
    ])
    expect(r.findings.every((f) => f.severity === 'critical')).toBe(true)
    expect(r.verdicts?.map((v) => v.severity)).toEqual([
      'critical',
      'critical',
      'critical',
      'critical',
    ])
    expect(r.tool.intel).toEqual([{ source: 'test', version: '1' }])
    expect(r.stats).toMatchObject({ files: 9, archives: 3 })
  })

  it('vigil scan reports the intel file hash at its severity with id and reference, exit 1', async () => {
    const out = join(dir, 'report.json')
    const code = await main([
      'scan',
      join(target, 'app'),
      '--intel',
      join(dir, 'intel.csv'),
      '--format',
      'json',
      '--output',
      out,
      '--no-cache',
      '--quiet',
    ])
    expect(code).toBe(1)
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report
    const f = report.findings.find((x) => x.ruleId === 'ioc/file-sha256')
    expect(f?.severity).toBe('critical')
    expect(f?.locations).toEqual([{ path: 'ffmpeg.dll' }])
    expect(f?.evidence[0]).toMatchObject({ kind: 'hash-match', recordId: expect.any(String) })
    expect(f?.evidence[0]?.references).toEqual([REF])
    expect(f?.references).toContain(REF)
    expect(report.findings.filter((x) => x.locations[0]?.path === 'readme.txt')).toEqual([])
  }, 60_000)

  it('exits 0 on the clean twin and 2 on a path that does not exist', async () => {
    const out = join(dir, 'clean.json')
    const args = ['--intel', join(dir, 'intel.csv'), '--output', out, '--no-cache', '--quiet']
    expect(await main(['scan', join(target, 'app', 'readme.txt'), ...args])).toBe(0)
    expect(await main(['scan', join(dir, 'no-such-dir'), ...args])).toBe(2)
    expect(await main(['scan', '--quiet'])).toBe(2)
  }, 60_000)

  it('honours excludes', async () => {
    const r = await scan({
      paths: [target],
      intel: buildIntel([], []),
      detectors: [],
      catalogers: [],
      excludes: ['*.zip', 'app/**'],
      listFiles: true,
    })
    expect(r.files?.map((f) => f.path).filter((p) => !p.includes('!/'))).toEqual([
      'app.asar',
      'release.tgz',
    ])
  })
})

describe('progressLine', () => {
  it('shows files, bytes, rate and the path, and an ETA once the total is known', () => {
    const base = { files: 10, bytes: 50 * 1024 * 1024, elapsedMs: 1000, currentPath: 'a/b.dll' }
    expect(progressLine(base)).toBe('10 files, 50 MiB, 50 MiB/s  a/b.dll')
    expect(progressLine({ ...base, totalFiles: 20, totalBytes: 150 * 1024 * 1024 })).toBe(
      '10/20 files, 50/150 MiB, 50 MiB/s, ETA 2s  a/b.dll',
    )
  })

  it('draws on a TTY only, and clears its line at the end', () => {
    const written: string[] = []
    const fake = (isTTY: boolean) =>
      ({
        isTTY,
        columns: 80,
        write: (t: string) => written.push(t),
      }) as unknown as NodeJS.WriteStream
    expect(ttyProgress(fake(false))).toBeUndefined()
    const p = ttyProgress(fake(true), 0)!
    p.onProgress({ files: 1, bytes: 0, elapsedMs: 5, currentPath: 'x' })
    p.done()
    expect(written).toEqual(['\r\x1b[2K1 files, 0 MiB, 0 MiB/s  x', '\r\x1b[2K'])
  })
})
