import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeAsar, makeTar, makeTgz, makeZip } from '../testing.js'
import type { ArchiveSource } from './member.js'
import { archiveMembers } from './members.js'

async function list(
  type: 'zip' | 'tar' | 'gzip' | 'asar',
  buf: Buffer,
  name = 'x',
  fromDisk = false,
) {
  const anomalies: string[] = []
  let src: ArchiveSource = { kind: 'buffer', buf }
  if (fromDisk) {
    const fsPath = join(mkdtempSync(join(tmpdir(), 'vigil-archive-')), name)
    writeFileSync(fsPath, buf)
    src = { kind: 'file', fsPath, size: buf.length }
  }
  const out: { name: string; kind: string; data?: string }[] = []
  for await (const m of archiveMembers(type, src, {
    name,
    maxGzipOut: 1 << 30,
    onAnomaly: (a) => anomalies.push(a),
  })) {
    if (m.kind !== 'file' || m.unreadable) {
      out.push({ name: m.name, kind: m.unreadable ? 'unreadable' : m.kind })
      continue
    }
    const chunks: Buffer[] = []
    for await (const c of m.content()) chunks.push(c)
    out.push({ name: m.name, kind: m.kind, data: Buffer.concat(chunks).toString() })
  }
  return { out, anomalies }
}

describe('archive readers', () => {
  it('reads zip members, deflated and stored, with directories', async () => {
    const zip = makeZip([
      { name: 'dir/', data: '' },
      { name: 'dir/a.txt', data: 'alpha' },
      { name: 'b.bin', data: 'bravo', stored: true },
    ])
    const { out } = await list('zip', zip)
    expect(out).toEqual([
      { name: 'dir/', kind: 'dir' },
      { name: 'dir/a.txt', kind: 'file', data: 'alpha' },
      { name: 'b.bin', kind: 'file', data: 'bravo' },
    ])
  })

  it('recognises a Unix zip symlink but not the same bits from a DOS-made entry', async () => {
    const zip = makeZip([
      { name: 'link', link: 'target' },
      { name: 'dos', link: 'target', system: 0 },
    ])
    const { out } = await list('zip', zip)
    expect(out).toEqual([
      { name: 'link', kind: 'symlink' },
      { name: 'dos', kind: 'file', data: 'target' },
    ])
  })

  it('reads tar members and symlinks', async () => {
    const tar = makeTar([
      { name: 'a.txt', data: 'alpha' },
      { name: 'l', link: 'a.txt' },
      { name: 'd/b.txt', data: 'bravo' },
    ])
    const { out } = await list('tar', tar)
    expect(out).toEqual([
      { name: 'a.txt', kind: 'file', data: 'alpha' },
      { name: 'l', kind: 'symlink' },
      { name: 'd/b.txt', kind: 'file', data: 'bravo' },
    ])
  })

  it('reads a tgz as its tar members and a plain .gz as one member', async () => {
    const { out } = await list('gzip', makeTgz([{ name: 'in.txt', data: 'inside' }]), 'x.tgz')
    expect(out).toEqual([{ name: 'in.txt', kind: 'file', data: 'inside' }])
    const single = await list('gzip', gzipSync('just text'), 'notes.txt.gz')
    expect(single.out).toEqual([{ name: 'notes.txt', kind: 'file', data: 'just text' }])
  })

  it('reads asar members by offset and marks unpacked ones', async () => {
    const asar = makeAsar(
      { 'package.json': '{"name":"app"}', 'dist/main.js': 'main()', 'native.node': 'x' },
      ['native.node'],
    )
    const { out, anomalies } = await list('asar', asar)
    expect(anomalies).toEqual([])
    expect(out).toEqual([
      { name: 'package.json', kind: 'file', data: '{"name":"app"}' },
      { name: 'dist/main.js', kind: 'file', data: 'main()' },
      { name: 'native.node', kind: 'unreadable' },
    ])
  })

  it('reads a zip on disk as it reads it from memory, and closes the file, whole or damaged', async () => {
    const zip = makeZip([
      { name: 'dir/', data: '' },
      { name: 'dir/a.txt', data: 'alpha'.repeat(1000) },
      { name: 'b.bin', data: 'bravo', stored: true },
    ])
    const fds = () => readdirSync('/proc/self/fd').length
    const before = fds()
    for (let i = 0; i < 20; i++) {
      expect(await list('zip', zip, 'x.zip', true)).toEqual(await list('zip', zip))
      await expect(list('zip', zip.subarray(0, zip.length >> 1), 'x.zip', true)).rejects.toThrow(
        /central directory/i,
      )
    }
    // A member whose local header the file does not hold: an error for that member.
    const bad = Buffer.from(zip)
    bad.writeUInt32LE(0, bad.indexOf('PK\x03\x04', 1, 'latin1')) // dir/a.txt's
    await expect(list('zip', bad, 'x.zip', true)).rejects.toThrow(/no local file header/)
    expect(fds()).toBe(before)
  })

  it('reads a zip on disk whose central directory and members span many read-ahead windows', async () => {
    // 3,000 members with long names (a central directory of ~300 KiB) and members both under and
    // over the small-read size, stored and deflated, in an archive of several MiB.
    const bytes = (i: number, n: number) => {
      const out = Buffer.alloc(n)
      for (let o = 0; o < n; o += 32) createHash('sha256').update(`${i}:${o}`).digest().copy(out, o)
      return out
    }
    const members = Array.from({ length: 3000 }, (_, i) => ({
      name: `dir/${'long-name-'.repeat(5)}${String(i).padStart(5, '0')}.bin`,
      data: i % 500 === 7 ? bytes(i, 200_000) : bytes(i, 300 + (i % 7) * 400),
      stored: i % 3 === 0,
    }))
    const zip = makeZip(members)
    const fromDisk = await list('zip', zip, 'big.zip', true)
    expect(fromDisk.out).toHaveLength(3000)
    expect(fromDisk).toEqual(await list('zip', zip))
  })

  it('fails cleanly on a truncated zip and a truncated tar', async () => {
    const zip = makeZip([{ name: 'a.txt', data: 'a'.repeat(5000) }])
    await expect(list('zip', zip.subarray(0, zip.length >> 1))).rejects.toThrow(
      /central directory/i,
    )
    const tar = makeTar([{ name: 'a.txt', data: 'a'.repeat(5000) }])
    await expect(list('tar', tar.subarray(0, 1500))).rejects.toThrow()
  })

  it('stops a gzip stream that expands beyond its cap', async () => {
    const bomb = gzipSync(Buffer.alloc(4 << 20))
    const run = async () => {
      for await (const m of archiveMembers(
        'gzip',
        { kind: 'buffer', buf: bomb },
        {
          name: 'b.gz',
          maxGzipOut: 1 << 20,
          onAnomaly: () => {},
        },
      )) {
        for await (const _ of m.content()) {
          /* drain */
        }
      }
    }
    await expect(run()).rejects.toThrow(/more than 1048576 bytes/)
  })

  it('hashes identical content identically whatever the container', async () => {
    const data = 'same bytes everywhere'
    const want = createHash('sha256').update(data).digest('hex')
    for (const [type, buf] of [
      ['zip', makeZip([{ name: 'f', data }])],
      ['tar', makeTar([{ name: 'f', data }])],
      ['asar', makeAsar({ f: data })],
    ] as const) {
      const { out } = await list(type, buf)
      expect(createHash('sha256').update(out[0]!.data!).digest('hex')).toBe(want)
    }
  })
})
