import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseMachO } from '../binary/macho/parse.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import { loadRegistered } from '../core/registered.js'
import type { Problem } from '../core/types.js'
import { DETECTORS } from '../detectors.js'
import { buildIntel } from '../intel/build-index.js'
import { memArtifact } from '../inventory/testing.js'
import { machoBundleDetector } from './macho-bundle.js'
import { fixtureArtifacts, runDetectors } from './macho-testing.js'

const macho = async () =>
  (await loadRegistered(DETECTORS)).filter((d) => d.name.startsWith('structure/macho'))

async function findingsFor(dir: string) {
  return runDetectors(await macho(), fixtureArtifacts(dir))
}

describe('structure/macho-page-hash-mismatch', () => {
  it('is high for an ad-hoc signed Mach-O with a byte flipped in __text, with page and offset', async () => {
    const run = await runDetectors(
      await macho(),
      fixtureArtifacts().filter((a) => a.name === 'hello-arm64-tampered'),
    )
    const f = run.findings.filter((x) => x.ruleId === 'structure/macho-page-hash-mismatch')
    expect(f).toHaveLength(1)
    expect(f[0]!.severity).toBe('high')
    const ev = f[0]!.evidence[0] as Record<string, unknown>
    expect(ev).toMatchObject({
      arch: 'arm64',
      signature: 'adhoc',
      pagesMismatched: 1,
      hashType: 'sha256',
    })
    const m = (ev.mismatches as { index: number; offset: number; head: string }[])[0]!
    expect(m.index).toBe(0)
    expect(m.head).toHaveLength(32)
    expect(f[0]!.locations[0]!.offset).toBe(m.offset)
    expect(run.binaries[0]).toMatchObject({
      format: 'macho',
      arch: 'arm64',
      signature: 'digest-mismatch',
    })
  })

  it('names the signer and team of a CMS-signed binary changed after signing', async () => {
    const run = await runDetectors(
      await macho(),
      fixtureArtifacts().filter((a) => a.name === 'hello-signed-tampered'),
    )
    const f = run.findings.find((x) => x.ruleId === 'structure/macho-page-hash-mismatch')!
    expect(f.severity).toBe('high')
    expect(f.message).toContain('team TEAMAAAAAA')
    expect(f.evidence[0]).toMatchObject({ teamId: 'TEAMAAAAAA', signature: 'signed' })
  })

  it('flags only the tampered slice of a universal binary', async () => {
    const run = await runDetectors(
      await macho(),
      fixtureArtifacts().filter((a) => a.name === 'hello-universal-tampered'),
    )
    const f = run.findings.filter((x) => x.ruleId === 'structure/macho-page-hash-mismatch')
    expect(f.map((x) => String(x.evidence[0]?.arch))).toEqual(['arm64'])
    expect(run.binaries.map((b) => `${b.arch}:${b.signature}`)).toEqual([
      'arm64:digest-mismatch',
      'x86_64:adhoc',
    ])
  })

  it('leaves the clean twins clean', async () => {
    const names = [
      'hello-arm64',
      'hello-x86_64',
      'hello-universal',
      'hello-universal64',
      'hello-signed',
      'libgreet.dylib',
    ]
    const run = await runDetectors(
      await macho(),
      fixtureArtifacts().filter((a) => names.includes(a.path)),
    )
    expect(run.findings).toEqual([])
    expect(run.binaries.map((b) => b.signature).sort()).toEqual([
      'adhoc',
      'adhoc',
      'adhoc',
      'adhoc',
      'adhoc',
      'adhoc',
      'adhoc',
      'valid-untrusted-root',
    ])
  })
})

describe('structure/macho-signature-invalid', () => {
  it('is high when code and CodeDirectory page hashes were both rewritten after CMS signing', async () => {
    const signed = fixtureArtifacts().find((a) => a.path === 'hello-signed')!
    const b = Buffer.from(await signed.bytes())
    const slice = parseMachO(b).slices[0]!
    const text = slice.segments.flatMap((x) => x.sections).find((x) => x.name === '__text')!
    b[text.offset] = b[text.offset]! ^ 0xff
    const cdBlob = slice.codeSignature!.blobs.find((x) => x.slot === 0)!
    const cd = slice.codeSignature!.codeDirectories[0]!
    const hashOffset = b.readUInt32BE(cdBlob.offset + 16)
    const page = Math.floor(text.offset / cd.pageSize)
    const start = page * cd.pageSize
    const fresh = createHash('sha256')
      .update(b.subarray(start, Math.min(start + cd.pageSize, cd.codeLimit)))
      .digest()
    fresh.copy(b, cdBlob.offset + hashOffset + page * 32)
    const run = await runDetectors(await macho(), [memArtifact('rehashed', b)])
    expect(run.findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual([
      'high structure/macho-signature-invalid',
    ])
    expect(run.findings[0]!.evidence[0]).toMatchObject({ teamId: 'TEAMAAAAAA' })
    expect(run.binaries[0]!.signature).toBe('bad-signature')
  })
})

describe('structure/high-entropy-overlay (Mach-O)', () => {
  it('is medium for random bytes appended after the signature', async () => {
    const run = await runDetectors(
      await macho(),
      fixtureArtifacts().filter((a) => a.name === 'hello-arm64-overlay'),
    )
    expect(run.findings).toHaveLength(1)
    expect(run.findings[0]).toMatchObject({
      ruleId: 'structure/high-entropy-overlay',
      severity: 'medium',
    })
    expect(run.findings[0]!.evidence[0]).toMatchObject({ offset: 50080, size: 8192 })
  })
})

describe('structure/bundle-resource-mismatch', () => {
  it('passes the untouched bundles (XML and binary Info.plist)', async () => {
    for (const app of ['LookAlike.app', 'LookAlikeBinaryPlist.app']) {
      const run = await findingsFor(app)
      expect(run.findings, app).toEqual([])
      expect(run.problems, app).toEqual([])
    }
  })

  it('reports the modified resource, the swapped dylib and the added file of the tampered twin', async () => {
    const run = await findingsFor('LookAlikeTampered.app')
    const got = run.findings
      .filter((f) => f.ruleId === 'structure/bundle-resource-mismatch')
      .map((f) => `${f.severity} ${String(f.evidence[0]?.change)} ${f.locations[0]!.path}`)
      .sort()
    expect(got).toEqual([
      'high modified LookAlikeTampered.app/Contents/Frameworks/libgreet.dylib',
      'medium added LookAlikeTampered.app/Contents/Resources/extra.dat',
      'medium modified LookAlikeTampered.app/Contents/Resources/strings.txt',
    ])
  })

  it('reports a sealed file that is missing as medium', async () => {
    const arts = fixtureArtifacts('LookAlike.app').filter((a) => !a.path.endsWith('blob.dat'))
    const run = await runDetectors(await macho(), arts)
    const got = run.findings.map(
      (f) => `${f.severity} ${String(f.evidence[0]?.change)} ${f.locations[0]!.path}`,
    )
    expect(got).toEqual(['medium missing LookAlike.app/Contents/Resources/blob.dat'])
  })
})

describe('structure/bundle-resource-mismatch: seal and Info.plist slots', () => {
  it('is high when CodeResources itself was rewritten, medium for an edited Info.plist', async () => {
    const arts = fixtureArtifacts('LookAlike.app').map((a) => {
      if (!a.path.endsWith('CodeResources') && !a.path.endsWith('Info.plist')) return a
      const edited = Buffer.from(
        readFileSync(a.fsPath!, 'utf8').replace('</plist>', '<!-- x --></plist>'),
      )
      return memArtifact(a.path, edited, { type: a.type })
    })
    const run = await runDetectors(await macho(), arts)
    const got = run.findings.map((f) => `${f.severity} ${f.locations[0]!.path}`).sort()
    expect(got).toEqual([
      'high LookAlike.app/Contents/_CodeSignature/CodeResources',
      'medium LookAlike.app/Contents/Info.plist',
    ])
  })
})

describe('structure/bundle-resource-mismatch: SHA-1-only seals', () => {
  it('says so in a warning, with no finding, when SHA-1 was not computed', async () => {
    const root = 'A.app/Contents/'
    const problems: Problem[] = []
    const findings = await machoBundleDetector().finish!({
      intel: buildIntel([], []),
      limits: DEFAULT_LIMITS,
      signal: new AbortController().signal,
      problem: (p) => problems.push(p),
      components: [],
      binaries: [
        {
          path: `${root}_CodeSignature/CodeResources`,
          format: 'code-resources',
          root,
          sealVersion: 2,
          seal: { 'Resources/x.txt': { sha1: 'a'.repeat(40) } },
          rules: [],
        },
      ],
      files: () => [
        {
          path: `${root}Resources/x.txt`,
          size: 1,
          type: 'text',
          hashes: { sha256: 'b'.repeat(64) },
        },
        {
          path: `${root}_CodeSignature/CodeResources`,
          size: 1,
          type: 'text',
          hashes: { sha256: 'c'.repeat(64) },
        },
      ],
    })
    expect(findings).toEqual([])
    expect(problems.map((p) => [p.level, p.path, p.message])).toEqual([
      [
        'warning',
        `${root}_CodeSignature/CodeResources`,
        expect.stringMatching(/^1 sealed hashes are SHA-1 only and were not checked/),
      ],
    ])
  })
})

describe('structure/mixed-signers-in-app', () => {
  it('is medium when a framework is signed by another team', async () => {
    const run = await findingsFor('LookAlikeMixed.app')
    expect(run.findings).toHaveLength(1)
    expect(run.findings[0]).toMatchObject({
      ruleId: 'structure/mixed-signers-in-app',
      severity: 'medium',
    })
    expect(run.findings[0]!.message).toContain('TEAMBBBBBB')
    expect(run.findings[0]!.evidence[0]).toMatchObject({ mainTeam: 'TEAMAAAAAA' })
  })
})
