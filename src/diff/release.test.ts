import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../cli/main.js'
import { makeTgz, makeZip } from '../collect/testing.js'
import { atLeast } from '../core/severity.js'
import type { Report } from '../core/types.js'
import { sarifValidator } from '../report/testdata/sarif-validator.js'
import { validateReport } from '../report/validate.js'

/** Releases built by scripts/fixtures/release/build.sh (mingw-w64 + osslsigncode). */
const FIXTURES = new URL('../../scripts/fixtures/release/out/', import.meta.url).pathname
const v1 = join(FIXTURES, 'v1')
const clean = join(FIXTURES, 'v2-clean')
const tampered = join(FIXTURES, 'v2-tampered')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-diff-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(args: string[]): Promise<{ code: number; report: Report }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.json`)
  const code = await main([...args, '--no-cache', '--quiet', '--format', 'json', '--output', out])
  return { code, report: JSON.parse(readFileSync(out, 'utf8')) as Report }
}

function filesAtOrAbove(r: Report, s: 'high' | 'medium'): string[] {
  const paths = r.findings.filter((f) => atLeast(f.severity, s)).map((f) => f.locations[0]!.path)
  return [...new Set(paths)].sort()
}

function members(release: string): { name: string; data: Buffer }[] {
  return readdirSync(release).map((name) => ({
    name: `app/${name}`,
    data: readFileSync(join(release, name)),
  }))
}

describe('vigil diff on the release look-alikes', () => {
  it('names exactly the two tampered files at high, with before/after evidence', async () => {
    const { code, report } = await run(['diff', v1, tampered])
    expect(code).toBe(1)
    expect(filesAtOrAbove(report, 'high')).toEqual(['d3dcompiler_47.dll', 'ffmpeg.dll'])
    const diffHigh = report.findings
      .filter((f) => f.layer === 'diff' && atLeast(f.severity, 'high'))
      .map((f) => [f.locations[0]!.path, f.ruleId])
    expect(diffHigh).toEqual([
      ['d3dcompiler_47.dll', 'diff/signature-data-appended'],
      ['ffmpeg.dll', 'diff/gained-capability'],
    ])
    const gained = report.findings.find((f) => f.ruleId === 'diff/gained-capability')!
    expect(gained.evidence.map((e) => e.kind)).toContain('gained-imports')
    expect(JSON.stringify(gained.evidence)).toContain('WinHttpOpen')
    expect(validateReport(report)).toMatchObject({ ok: true })
    expect(report.diff?.files.changed).toEqual(
      ['VigilPhone.exe', 'd3dcompiler_47.dll', 'ffmpeg.dll', 'README.txt'].sort(),
    )
  })

  it('writes valid SARIF with the diff findings', async () => {
    const out = join(dir, 'diff.sarif')
    const code = await main([
      'diff',
      v1,
      tampered,
      '--no-cache',
      '--quiet',
      '--format',
      'sarif',
      '--output',
      out,
    ])
    expect(code).toBe(1)
    const log = JSON.parse(readFileSync(out, 'utf8'))
    const validate = sarifValidator()
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true)
    const ruleIds = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)
    expect(ruleIds).toContain('diff/signature-data-appended')
    expect(ruleIds).toContain('diff/gained-capability')
  })

  it('keeps a clean upgrade below medium', async () => {
    const { code, report } = await run(['diff', v1, clean])
    expect(code).toBe(0)
    expect(filesAtOrAbove(report, 'medium')).toEqual([])
    expect(report.diff?.files.unchanged).toBe(1) // d3dcompiler_47.dll: same bytes in both
  })

  it('diffs archives (zip against tar.gz) like directories', async () => {
    const oldZip = join(dir, 'phone-1.4.zip')
    const newTgz = join(dir, 'phone-1.5.tar.gz')
    writeFileSync(oldZip, makeZip(members(v1)))
    writeFileSync(newTgz, makeTgz(members(tampered)))
    const { report } = await run(['diff', oldZip, newTgz])
    const diffHigh = report.findings.filter(
      (f) => f.layer === 'diff' && atLeast(f.severity, 'high'),
    )
    expect(diffHigh.map((f) => f.locations[0]!.path).sort()).toEqual([
      'app/d3dcompiler_47.dll',
      'app/ffmpeg.dll',
    ])
  })

  it('uses a stored report of the old release as the baseline', async () => {
    const baseline = join(dir, 'baseline.json')
    expect(
      await main([
        'scan',
        v1,
        '--list-files',
        '--no-cache',
        '--quiet',
        '--format',
        'json',
        '--output',
        baseline,
      ]),
    ).toBe(0)
    const { report } = await run(['diff', '--baseline', baseline, tampered])
    expect(filesAtOrAbove(report, 'high')).toEqual(['d3dcompiler_47.dll', 'ffmpeg.dll'])
    const clean2 = await run(['diff', '--baseline', baseline, clean])
    expect(filesAtOrAbove(clean2.report, 'medium')).toEqual([])
  })

  it('catches the macOS look-alike: libffmpeg.dylib gains libcurl, a URL and a blob', async () => {
    const mac = (v: string) => join(FIXTURES, v)
    const { report } = await run(['diff', mac('mac-v1'), mac('mac-v2-tampered')])
    const lib = 'VigilPhone.app/Contents/Frameworks/libffmpeg.dylib'
    expect(filesAtOrAbove(report, 'high')).toEqual([lib])
    const gained = report.findings.find((f) => f.ruleId === 'diff/gained-capability')!
    expect(gained.severity).toBe('high')
    expect(JSON.stringify(gained.evidence)).toContain('libcurl')
    const clean2 = await run(['diff', mac('mac-v1'), mac('mac-v2-clean')])
    expect(filesAtOrAbove(clean2.report, 'medium')).toEqual([])
    expect(clean2.report.diff?.components.changed.map((c) => [c.from, c.to])).toEqual([
      ['1.4.0', '1.5.0'],
    ])
  })

  it('refuses a stored report without a file list', async () => {
    const bare = join(dir, 'bare.json')
    await main(['scan', v1, '--no-cache', '--quiet', '--format', 'json', '--output', bare])
    expect(await main(['diff', '--baseline', bare, tampered, '--quiet'])).toBe(2)
  })
})
