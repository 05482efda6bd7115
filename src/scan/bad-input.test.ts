import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTar, makeZip } from '../collect/testing.js'
import type { Report } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import { fileHashDetector } from '../ioc/file-hash.js'
import { validateReport } from '../report/validate.js'
import { scan } from './scan.js'

const isRoot = process.getuid?.() === 0

/** Follow-up scans only need the collector: no rule engine start-up. */
const quick = { intel: buildIntel([], []), detectors: [fileHashDetector], catalogers: [] }

/** Every file and directory under `dir` with size and mtime: "nothing written" is this unchanged. */
function snapshot(dir: string): string[] {
  const out: string[] = []
  const walk = (d: Buffer) => {
    for (const name of readdirSync(d, { encoding: 'buffer' })) {
      const p = Buffer.concat([d, Buffer.from('/'), name])
      const s = lstatSync(p)
      out.push(`${p.toString('latin1')} ${s.size} ${s.mtimeMs}`)
      if (s.isDirectory()) walk(p)
    }
  }
  walk(Buffer.from(dir))
  return out.sort()
}

function nested(levels: number): Buffer {
  let inner = makeZip([{ name: 'deepest.txt', data: 'bottom' }])
  for (let i = levels - 1; i >= 1; i--)
    inner = makeZip([{ name: `level${i + 1}.zip`, data: inner }])
  return inner
}

describe('scan over a tree of bad input', () => {
  let root: string
  let target: string
  let report: Report
  let before: string[]

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vigil-bad-'))
    target = join(root, 'target')
    mkdirSync(target)
    writeFileSync(join(root, 'outside.txt'), 'not in the target')
    writeFileSync(join(target, 'empty.bin'), '')
    writeFileSync(join(target, 'ok.txt'), 'fine\n')
    execFileSync('mkfifo', [join(target, 'pipe')])
    symlinkSync('loop-b', join(target, 'loop-a'))
    symlinkSync('loop-a', join(target, 'loop-b'))
    symlinkSync(join(root, 'outside.txt'), join(target, 'escape'))
    symlinkSync('ok.txt', join(target, 'alias'))
    symlinkSync('.', join(target, 'self-dir'))
    writeFileSync(Buffer.from(`${target}/bad-\xff-name.txt`, 'latin1'), 'latin1 name')
    const zip = makeZip([
      { name: 'a.txt', data: 'a'.repeat(20_000) },
      { name: 'b.txt', data: 'b' },
    ])
    writeFileSync(join(target, 'truncated.zip'), zip.subarray(0, zip.length - 30))
    writeFileSync(
      join(target, 'ratio-bomb.zip'),
      makeZip([
        { name: 'zeros.bin', data: Buffer.alloc(8 << 20) },
        { name: 'fine.txt', data: 'ok' },
      ]),
    )
    const layer = makeZip(
      Array.from({ length: 6 }, (_, i) => ({ name: `z${i}.bin`, data: Buffer.alloc(600_000) })),
    )
    writeFileSync(
      join(target, 'nested-bomb.zip'),
      makeZip(Array.from({ length: 6 }, (_, i) => ({ name: `layer${i}.zip`, data: layer }))),
    )
    writeFileSync(
      join(target, 'slip.zip'),
      makeZip([
        { name: '../../evil.sh', data: 'x' },
        { name: 'good.txt', data: 'g' },
      ]),
    )
    writeFileSync(
      join(target, 'slip.tar'),
      makeTar([
        { name: '../escape.txt', data: 'x' },
        { name: 'good.txt', data: 'g' },
      ]),
    )
    writeFileSync(join(target, 'deep.zip'), nested(10))
    if (!isRoot) {
      writeFileSync(join(target, 'secret.txt'), 'no')
      chmodSync(join(target, 'secret.txt'), 0)
    }
    before = snapshot(root)
    report = await scan({
      paths: [target],
      intel: buildIntel([], []),
      limits: { maxExpandedBytes: 4 << 20 },
    })
  }, 60_000)

  afterAll(() => rmSync(root, { recursive: true, force: true }))

  const problemAt = (path: string) => report.problems.filter((p) => p.path === path)

  it('finishes with a complete, schema-valid report', () => {
    const v = validateReport(JSON.parse(JSON.stringify(report)))
    expect(v.ok ? [] : v.errors).toEqual([])
    expect(report.targets).toEqual([{ path: target, kind: 'dir' }])
    expect(report.problems.every((p) => p.path.length > 0 && p.message.length > 0)).toBe(true)
  })

  it('scans the 0-byte file and the ordinary one', async () => {
    const r = await scan({
      ...quick,
      paths: [target],
      listFiles: true,
      limits: { maxExpandedBytes: 4 << 20 },
    })
    const empty = r.files?.find((f) => f.path === 'empty.bin')
    expect(empty?.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(r.files?.find((f) => f.path === 'ok.txt')?.type).toBe('text')
  })

  it('records the FIFO without opening it', () => {
    expect(problemAt('pipe')).toEqual([
      {
        stage: 'walk',
        path: 'pipe',
        message: 'FIFO, not a regular file; not read',
        level: 'warning',
      },
    ])
  })

  it('does not follow a symlink loop or a symlink leaving the target', () => {
    expect(problemAt('loop-a')[0]?.message).toMatch(/symlink loop; not followed/)
    expect(problemAt('loop-b')[0]?.message).toMatch(/symlink loop; not followed/)
    expect(problemAt('escape')[0]?.message).toMatch(/outside the target; not followed/)
    expect(report.problems.some((p) => p.message.includes('symlinks inside the target'))).toBe(true)
  })

  it('scans a file whose name is not UTF-8, naming it with the byte escaped', async () => {
    expect(report.problems.filter((p) => p.path.includes('bad-'))).toEqual([])
    const r = await scan({
      ...quick,
      paths: [target],
      listFiles: true,
      excludes: ['*.zip', '*.tar'],
    })
    const f = r.files?.find((x) => x.path === 'bad-\\xff-name.txt')
    expect(f?.sha256).toBe(createHash('sha256').update('latin1 name').digest('hex'))
  })

  it('reports a truncated zip', () => {
    expect(problemAt('truncated.zip')[0]?.message).toMatch(/cannot read zip archive/)
  })

  it('refuses a high-ratio member and goes on with the next', () => {
    const [p] = problemAt('ratio-bomb.zip!/zeros.bin')
    expect(p?.message).toMatch(/compression ratio \d+:1 exceeds the limit \(200:1\)/)
  })

  it('stops a nested bomb at the expanded-bytes limit', () => {
    const hits = report.problems.filter(
      (p) => p.path.startsWith('nested-bomb.zip!/') && /expanded size/.test(p.message),
    )
    expect(hits.length).toBeGreaterThan(0)
  })

  it('refuses ../ member names in zip and tar and reads their other members', async () => {
    expect(problemAt('slip.zip!/../../evil.sh')[0]?.message).toMatch(/path traversal/)
    expect(problemAt('slip.tar!/../escape.txt')[0]?.message).toMatch(/path traversal/)
    const r = await scan({
      ...quick,
      paths: [join(target, 'slip.zip'), join(target, 'slip.tar')],
      listFiles: true,
    })
    const listed = r.files?.map((f) => f.path)
    expect(listed).toContain(`${join(target, 'slip.zip')}!/good.txt`)
    expect(listed).toContain(`${join(target, 'slip.tar')}!/good.txt`)
  })

  it('opens nested archives down to the depth limit and says where it stopped', () => {
    const deep = report.problems.find((p) => p.message.includes('nested deeper than 8'))
    expect(deep?.path).toBe(
      'deep.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip!/level6.zip!/level7.zip!/level8.zip!/level9.zip',
    )
  })

  it.skipIf(isRoot)(
    'reports an unreadable file (skipped as root: root reads mode-000 files)',
    () => {
      expect(problemAt('secret.txt')[0]?.message).toMatch(/cannot read: EACCES/)
    },
  )

  it('wrote nothing anywhere in or beside the target', () => {
    expect(snapshot(root)).toEqual(before)
  })
})
