import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeZip } from '../collect/testing.js'
import type { Artifact } from '../core/artifact.js'
import type { Detector } from '../core/plugin.js'
import { buildIntel } from '../intel/build-index.js'
import type { IntelRecord } from '../intel/records.js'
import { scan } from './scan.js'

/** Records each artifact's hashes and, when asked, reads its bytes. */
function spy(read = false): Detector & { seen: Map<string, Artifact['hashes']> } {
  const seen = new Map<string, Artifact['hashes']>()
  return {
    name: 'test/spy',
    version: 1,
    layer: 'structure',
    seen,
    async detect(a) {
      seen.set(a.path, a.hashes)
      if (read) await a.bytes()
      return []
    },
  }
}

const md5Record: IntelRecord = {
  kind: 'file',
  type: 'md5',
  value: '00000000000000000000000000000000',
  severity: 'high',
  id: 'm',
  source: 't',
  confidence: 'high',
  references: [],
}

describe('scan', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-scan-'))
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7))
    writeFileSync(join(dir, 'sub', 'small.txt'), 'small')
    writeFileSync(
      join(dir, 'many.zip'),
      makeZip(Array.from({ length: 30 }, (_, i) => ({ name: `m${i}.txt`, data: `${i}` }))),
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const base = { paths: [] as string[], intel: buildIntel([], []), catalogers: [] }

  it('computes MD5 and SHA-1 only when the intel has indicators of that kind', async () => {
    const sha256 = createHash('sha256').update('small').digest('hex')
    const md5 = createHash('md5').update('small').digest('hex')
    const plain = spy()
    await scan({ ...base, paths: [join(dir, 'sub')], detectors: [plain] })
    expect(plain.seen.get('small.txt')).toEqual({ sha256 })
    const withMd5 = spy()
    const intel = buildIntel([md5Record], [])
    await scan({ ...base, paths: [join(dir, 'sub')], intel, detectors: [withMd5] })
    expect(withMd5.seen.get('small.txt')).toEqual({ sha256, md5 })
  })

  it('hashes a file over the size cap but does not parse it, with one warning', async () => {
    const d = spy(true)
    const r = await scan({
      ...base,
      paths: [dir],
      detectors: [d],
      limits: { maxFileBytes: 1024 * 1024 },
      excludes: ['*.zip'],
    })
    expect(d.seen.get('big.bin')?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.problems.filter((p) => p.path === 'big.bin')).toEqual([
      {
        stage: 'read',
        path: 'big.bin',
        message: '3145728 bytes exceeds the file size limit (1048576); hashed only, not parsed',
        level: 'warning',
      },
      {
        stage: 'read',
        path: 'big.bin',
        message: '3145728 bytes exceeds the parse limit (1048576); not parsed',
        level: 'warning',
      },
    ])
  })

  it('reads at most maxArchiveMembers members and says so', async () => {
    const d = spy()
    const r = await scan({
      ...base,
      paths: [join(dir, 'many.zip')],
      detectors: [d],
      limits: { maxArchiveMembers: 10 },
    })
    expect([...d.seen.keys()].filter((p) => p.includes('!/'))).toHaveLength(10)
    expect(r.problems.map((p) => p.message)).toContain(
      'more than 10 members (limit); the rest were not read',
    )
  })

  it('gives the same report twice (deterministic order)', async () => {
    const strip = (r: Awaited<ReturnType<typeof scan>>) => ({
      ...r,
      createdAt: '',
      stats: { ...r.stats, durationMs: 0 },
    })
    const a = await scan({ ...base, paths: [dir], detectors: [], listFiles: true, concurrency: 8 })
    const b = await scan({ ...base, paths: [dir], detectors: [], listFiles: true, concurrency: 1 })
    expect(strip(a)).toEqual(strip(b))
    expect(a.files?.map((f) => f.path)).toEqual([...(a.files ?? [])].map((f) => f.path).sort())
  })

  it('follows a symlink named as the target itself', async () => {
    const link = join(dir, 'link-to-small')
    symlinkSync(join(dir, 'sub', 'small.txt'), link)
    const r = await scan({ ...base, paths: [link], detectors: [], listFiles: true })
    expect(r.problems).toEqual([])
    expect(r.files?.map((f) => [f.path, f.sha256])).toEqual([
      ['link-to-small', createHash('sha256').update('small').digest('hex')],
    ])
  })

  it('finds the same on scan worker threads as on the calling thread', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7)
    const intel = buildIntel(
      [
        { ...md5Record, value: createHash('md5').update(big).digest('hex') },
        { ...md5Record, id: 's', value: createHash('md5').update('5').digest('hex') },
      ],
      [],
    )
    const strip = (r: Awaited<ReturnType<typeof scan>>) => ({
      ...r,
      createdAt: '',
      stats: { ...r.stats, durationMs: 0 },
    })
    const run = (threads: number) =>
      scan({ paths: [dir], intel, plugins: ['ioc/file-hash'], listFiles: true, threads })
    const inline = await run(0)
    expect(inline.findings.map((f) => f.locations[0]?.path).sort()).toEqual([
      'big.bin',
      'many.zip!/m5.txt',
    ])
    expect(strip(await run(2))).toEqual(strip(inline))
  })

  it('stops when aborted', async () => {
    const c = new AbortController()
    c.abort(new Error('stop'))
    await expect(scan({ ...base, paths: [dir], detectors: [], signal: c.signal })).rejects.toThrow(
      'stop',
    )
  })
})
