import { describe, expect, it } from 'vitest'
import type { BinarySummary, FileEntry, Report } from '../core/types.js'
import { diffSnapshots } from './diff.js'
import { pairFiles } from './pair.js'
import { snapshotFromReport } from './snapshot.js'

const file = (path: string, sha256: string, strings?: FileEntry['strings']): FileEntry => ({
  path,
  size: 100,
  type: 'pe',
  sha256,
  ...(strings ? { strings } : {}),
})

function report(files: FileEntry[], binaries: BinarySummary[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: 'test', intel: [] },
    targets: [{ path: 'x', kind: 'dir' }],
    components: [],
    findings: [],
    binaries,
    files,
    problems: [],
    stats: { files: files.length, bytes: 0, durationMs: 0 },
  }
}

const signed = (path: string, extra: Partial<BinarySummary> = {}): BinarySummary => ({
  path,
  format: 'pe',
  signer: 'Example Vendor Ltd',
  signature: 'valid',
  signerThumbprint: 'aa',
  imports: { 'kernel32.dll': ['CreateFileW', 'ReadFile'] },
  sections: [
    { name: '.text', size: 4096, entropy: 6.1 },
    { name: '.rdata', size: 2048, entropy: 4.2 },
  ],
  version: { FileVersion: '1.0.0.0' },
  ...extra,
})

describe('pairFiles', () => {
  it('pairs by path, then content, then unique base name', () => {
    const p = pairFiles(
      [file('a/x.dll', '1'), file('a/y.dll', '2'), file('old/z.dll', '3'), file('gone.txt', '4')],
      [file('a/x.dll', '1'), file('b/y.dll', '2'), file('new/z.dll', '33'), file('fresh.txt', '5')],
    )
    expect(p.unchanged.map((x) => x.new.path)).toEqual(['a/x.dll'])
    expect(p.moved.map((x) => [x.old.path, x.new.path])).toEqual([['a/y.dll', 'b/y.dll']])
    expect(p.changed.map((x) => [x.old.path, x.new.path, x.by])).toEqual([
      ['old/z.dll', 'new/z.dll', 'name'],
    ])
    expect(p.added.map((f) => f.path)).toEqual(['fresh.txt'])
    expect(p.removed.map((f) => f.path)).toEqual(['gone.txt'])
  })
})

describe('diffSnapshots', () => {
  it('flags a library that gained networking with a URL and an encrypted blob as high', () => {
    const before = report([file('ffmpeg.dll', 'a')], [signed('ffmpeg.dll')])
    const after = report(
      [
        file('ffmpeg.dll', 'b', {
          urls: ['https://raw.githubusercontent.com/IconStorages/images/main/icon'],
        }),
      ],
      [
        signed('ffmpeg.dll', {
          version: { FileVersion: '1.1.0.0' },
          imports: {
            'kernel32.dll': ['CreateFileW', 'ReadFile', 'VirtualProtect'],
            'winhttp.dll': ['WinHttpOpen'],
          },
          sections: [
            { name: '.text', size: 4096, entropy: 6.1 },
            { name: '.rdata', size: 8192, entropy: 7.6 },
          ],
        }),
      ],
    )
    const { findings, diff } = diffSnapshots(
      snapshotFromReport(before, 'v1'),
      snapshotFromReport(after, 'v2'),
    )
    expect(diff.files.changed).toEqual(['ffmpeg.dll'])
    const bySeverity = Object.fromEntries(findings.map((f) => [f.ruleId, f.severity]))
    expect(bySeverity).toEqual({
      'diff/gained-capability': 'high',
      'diff/new-embedded-address': 'medium',
      'diff/new-high-entropy-data': 'medium',
    })
  })

  it('keeps a rebuilt library with a version bump and the same imports below medium', () => {
    const before = report([file('lib.dll', 'a')], [signed('lib.dll')])
    const after = report(
      [file('lib.dll', 'b')],
      [signed('lib.dll', { version: { FileVersion: '1.0.1.0' } })],
    )
    const { findings } = diffSnapshots(
      snapshotFromReport(before, 'v1'),
      snapshotFromReport(after, 'v2'),
    )
    expect(findings).toEqual([])
  })

  it('reports padding appended inside the certificate table as high, naming the signer', () => {
    const before = report([file('d3dcompiler_47.dll', 'a')], [signed('d3dcompiler_47.dll')])
    const after = report(
      [file('d3dcompiler_47.dll', 'b')],
      [
        signed('d3dcompiler_47.dll', {
          version: { FileVersion: '1.1.0.0' },
          certPadding: { offset: 9000, size: 4096, entropy: 7.9 },
        }),
      ],
    )
    const { findings } = diffSnapshots(
      snapshotFromReport(before, 'v1'),
      snapshotFromReport(after, 'v2'),
    )
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['diff/signature-data-appended', 'high'],
    ])
    expect(findings[0]!.evidence[1]).toMatchObject({
      kind: 'cert-padding',
      signer: 'Example Vendor Ltd',
    })
  })

  it('says when bytes changed but the declared version did not', () => {
    const before = report([file('x.dll', 'a')], [signed('x.dll')])
    const after = report([file('x.dll', 'b')], [signed('x.dll')])
    const { findings } = diffSnapshots(
      snapshotFromReport(before, 'v1'),
      snapshotFromReport(after, 'v2'),
    )
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['diff/changed-without-version-change', 'low'],
    ])
  })

  it('reports a broken signature and a changed signer', () => {
    const before = report(
      [file('a.dll', '1'), file('b.dll', '2')],
      [signed('a.dll'), signed('b.dll')],
    )
    const after = report(
      [file('a.dll', '1x'), file('b.dll', '2x')],
      [
        signed('a.dll', { signature: 'digest-mismatch', version: { FileVersion: '2' } }),
        signed('b.dll', {
          signer: 'Someone Else',
          signerThumbprint: 'bb',
          version: { FileVersion: '2' },
        }),
      ],
    )
    const { findings } = diffSnapshots(
      snapshotFromReport(before, 'v1'),
      snapshotFromReport(after, 'v2'),
    )
    expect(findings.map((f) => [f.locations[0]!.path, f.ruleId, f.severity])).toEqual([
      ['a.dll', 'diff/signature-broken', 'high'],
      ['b.dll', 'diff/signer-changed', 'medium'],
    ])
  })
})

describe('libraryBase', () => {
  it('reduces library paths of every format to a bare name', async () => {
    const { libraryBase } = await import('./capabilities.js')
    expect(
      [
        'WINHTTP.dll',
        '/usr/lib/libcurl.4.dylib',
        'libcurl.so.4',
        '/System/Library/Frameworks/CFNetwork.framework/Versions/A/CFNetwork',
      ].map(libraryBase),
    ).toEqual(['winhttp', 'libcurl', 'libcurl', 'cfnetwork'])
  })
})
