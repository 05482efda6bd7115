import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadRegistered } from '../core/registered.js'
import { DETECTORS } from '../detectors.js'
import { buildIntel } from '../intel/build-index.js'
import { scan } from '../scan/scan.js'
import { MACHO_FIXTURES } from './macho-testing.js'

const detectors = (await loadRegistered(DETECTORS)).filter((d) =>
  /^structure\/(macho|elf)/.test(d.name),
)
const cacheDir = mkdtempSync(join(tmpdir(), 'vigil-macho-cache-'))
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }))

const summary = (r: Awaited<ReturnType<typeof scan>>) =>
  r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.locations[0]!.path}`).sort()

const EXPECTED = [
  'high structure/bundle-resource-mismatch LookAlikeTampered.app/Contents/Frameworks/libgreet.dylib',
  'high structure/macho-page-hash-mismatch hello-arm64-tampered',
  'high structure/macho-page-hash-mismatch hello-signed-tampered',
  'high structure/macho-page-hash-mismatch hello-universal-tampered',
  'medium structure/bundle-resource-mismatch LookAlikeTampered.app/Contents/Resources/extra.dat',
  'medium structure/bundle-resource-mismatch LookAlikeTampered.app/Contents/Resources/strings.txt',
  'medium structure/high-entropy-overlay hello-arm64-overlay',
  'medium structure/mixed-signers-in-app LookAlikeMixed.app/Contents/Frameworks/libgreet.dylib',
]

describe('Mach-O structure detectors through scan()', () => {
  it('flags exactly the tampered, overlaid and mixed fixtures; clean twins stay clean', async () => {
    const report = await scan({
      paths: [MACHO_FIXTURES],
      intel: buildIntel([], []),
      detectors,
      cache: { dir: cacheDir },
    })
    expect(summary(report)).toEqual(EXPECTED)
    expect(report.problems).toEqual([])
    const main = report.binaries?.find((b) => b.path === 'LookAlike.app/Contents/MacOS/LookAlike')
    expect(main).toMatchObject({
      format: 'macho',
      arch: 'arm64',
      teamId: 'TEAMAAAAAA',
      signature: 'valid-untrusted-root',
    })
  })

  it('gives the same bundle findings when every file is replayed from the cache', async () => {
    const report = await scan({
      paths: [MACHO_FIXTURES],
      intel: buildIntel([], []),
      detectors,
      cache: { dir: cacheDir },
    })
    expect(report.stats.cached).toBeGreaterThan(0)
    expect(summary(report)).toEqual(EXPECTED)
  })
})
