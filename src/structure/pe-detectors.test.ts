import { beforeAll, describe, expect, it } from 'vitest'
import {
  markerPayload,
  padCertificateTable,
  pseudoRandomBytes,
} from '../../scripts/fixtures/pe/tamper.js'
import { PE_FIXTURES, PE_TRUST_DIR, peFixtureNames, readPeFixture } from '../binary/pe/testing.js'
import { TRUST_STORE_ENV } from '../core/env.js'
import type { Finding } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import { scan } from '../scan/scan.js'
import { peCertPaddingDetector } from './pe-cert-padding.js'
import { peOverlayDetector } from './pe-overlay.js'
import { peSignatureDetector } from './pe-signature.js'
import { bufferArtifact, runDetectors } from './pe-testing.js'
import { sideLoadingDetector } from './side-loading.js'

const detectors = () => [
  peSignatureDetector(),
  peCertPaddingDetector(),
  peOverlayDetector(),
  sideLoadingDetector(),
]

beforeAll(() => {
  process.env[TRUST_STORE_ENV] = PE_TRUST_DIR
})

const runOn = (names: string[]) =>
  runDetectors(
    detectors(),
    names.map((n) => bufferArtifact(n, readPeFixture(n))),
  )
const rules = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.ruleId} ${f.locations[0]?.path}`)

describe('structure/cert-padding', () => {
  it('reports the 3CX-style padded DLL as high, with offsets, entropy, marker and signer', async () => {
    const { findings } = await runOn(['helper-padded.dll'])
    expect(rules(findings)).toEqual(['high structure/cert-padding helper-padded.dll'])
    const f = findings[0]!
    const ev = f.evidence[0]!
    expect(ev).toMatchObject({
      kind: 'cert-padding',
      marker: 'feedface',
      signatureState: 'valid',
      signatureValidates: true,
      signer: 'CN=Vigil Test Vendor Ltd (TEST ONLY), O=Vigil Test Vendor Ltd, C=GB',
      head: `feedfacefeedface${pseudoRandomBytes(8).toString('hex')}`,
    })
    expect(ev.entropy).toBeGreaterThan(7.5)
    expect(ev.firstDataOffset).toBe(ev.markerOffset)
    expect(f.locations[0]).toEqual({
      path: 'helper-padded.dll',
      offset: ev.offset,
      length: ev.size,
    })
    expect(f.message).toContain('still validates')
    expect(f.message).toContain('Vigil Test Vendor Ltd (TEST ONLY)')
    expect(f.message).toContain(`offset ${ev.firstDataOffset}`)
  })

  it('judges small paddings: zeros are not a finding, a short marker is high, short noise medium', async () => {
    const signed = readPeFixture('helper-signed.dll')
    const variant = async (extra: Buffer) =>
      rules(
        (
          await runDetectors(
            [peCertPaddingDetector()],
            [bufferArtifact('x.dll', padCertificateTable(signed, extra))],
          )
        ).findings,
      )
    expect(await variant(Buffer.alloc(16))).toEqual([])
    expect(await variant(markerPayload(0))).toEqual(['high structure/cert-padding x.dll'])
    expect(await variant(Buffer.from('0102030405060708090a0b0c', 'hex'))).toEqual([
      'medium structure/cert-padding x.dll',
    ])
    expect(await variant(Buffer.alloc(64))).toEqual(['high structure/cert-padding x.dll'])
    const tag =
      'appguid={8A69D345-D564-463C-AFF1-A69D9E530F96}&appname=Google%20Chrome&needsadmin=prefers'
    const gact = Buffer.concat([
      Buffer.from('Gact'),
      Buffer.from([0, tag.length]),
      Buffer.from(tag),
    ])
    expect(await variant(gact)).toEqual(['low structure/cert-padding x.dll'])
    const fake = Buffer.concat([gact, pseudoRandomBytes(256)])
    expect(await variant(fake)).toEqual(['high structure/cert-padding x.dll'])
  })

  it('is silent on clean signed and unsigned files', async () => {
    const { findings } = await runOn([
      'helper-signed.dll',
      'helper-unsigned.dll',
      'helper32-signed.dll',
    ])
    expect(findings).toEqual([])
  })
})

describe('structure/pe-signature', () => {
  it('reports a DLL modified after signing as a high digest mismatch', async () => {
    const { findings } = await runOn(['helper-tampered.dll'])
    expect(rules(findings)).toEqual([
      'high structure/authenticode-digest-mismatch helper-tampered.dll',
    ])
    expect(findings[0]!.evidence[0]).toMatchObject({
      state: 'digest-mismatch',
      digestAlgorithm: 'sha256',
    })
    expect(findings[0]!.message).toContain('Vigil Test Vendor Ltd (TEST ONLY)')
  })

  it('publishes a BinarySummary per PE', async () => {
    const { summaries } = await runOn(['app/VigilApp.exe', 'helper-unsigned.dll'])
    expect(summaries.map((s) => [s.path, s.format, s.arch, s.kind, s.signature, s.signer])).toEqual(
      [
        ['app/VigilApp.exe', 'pe', 'x64', 'exe', 'valid', 'Vigil Test Vendor Ltd (TEST ONLY)'],
        ['helper-unsigned.dll', 'pe', 'x64', 'dll', 'unsigned', undefined],
      ],
    )
    expect(summaries[0]!.version).toMatchObject({
      ProductName: 'Vigil Fixture App',
      ProductVersion: '18.12.416',
    })
    expect(summaries[0]!.signerThumbprint).toMatch(/^[0-9a-f]{64}$/)
    expect((summaries[0]!.imports as Record<string, string[]>)['helper.dll']).toEqual([
      'vigil_helper_add',
      'vigil_helper_name',
    ])
  })
})

describe('structure/pe-overlay', () => {
  it('reports high-entropy appended data as medium, but not a zip self-extractor', async () => {
    const { findings } = await runOn(['overlay-random.exe', 'overlay-zip-sfx.exe'])
    expect(rules(findings)).toEqual(['medium structure/high-entropy-overlay overlay-random.exe'])
    expect(findings[0]!.evidence[0]).toMatchObject({ kind: 'overlay', size: 8192 })
  })
})

describe('structure/side-loading', () => {
  it('flags unsigned and foreign-signed DLLs beside a signed EXE as low, not the vendor-signed one', async () => {
    const names = peFixtureNames().filter((n) => /^(app|sideload|foreign)\//.test(n))
    const { findings } = await runOn(names)
    expect(rules(findings).sort()).toEqual([
      'low structure/unsigned-module-beside-signed-exe foreign/helper.dll',
      'low structure/unsigned-module-beside-signed-exe sideload/helper.dll',
    ])
  })
})

describe('vigil scan over the PE fixtures', () => {
  it('reports padding and tampering as high and leaves the clean twins clean', async () => {
    const report = await scan({ paths: [PE_FIXTURES], intel: buildIntel([], []) })
    const mine = report.findings.filter((f) => f.layer === 'structure')
    expect(rules(mine).sort()).toEqual([
      'high structure/authenticode-digest-mismatch helper-tampered.dll',
      'high structure/cert-padding helper-padded.dll',
      'low structure/unsigned-module-beside-signed-exe foreign/helper.dll',
      'low structure/unsigned-module-beside-signed-exe sideload/helper.dll',
      'medium structure/high-entropy-overlay overlay-random.exe',
    ])
    const padding = mine.find((f) => f.ruleId === 'structure/cert-padding')!
    expect(padding.evidence[0]).toMatchObject({
      signer: expect.stringContaining('Vigil Test Vendor'),
    })
    expect(report.binaries?.filter((b) => b.format === 'pe')).toHaveLength(peFixtureNames().length)
    const clean = [
      'helper-signed.dll',
      'helper-unsigned.dll',
      'app/VigilApp.exe',
      'app/helper.dll',
      'overlay-zip-sfx.exe',
    ]
    expect(report.findings.filter((f) => f.locations.some((l) => clean.includes(l.path)))).toEqual(
      [],
    )
  })
})
