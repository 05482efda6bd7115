import { withCorrelation } from '../../correlate/correlate.js'
import { makeFinding } from '../../core/finding-id.js'
import type { Component, Finding, Report } from '../../core/types.js'

/**
 * A realistic report for reporter tests: the 3CX story over a copied Windows install directory and
 * an installer archive. Hashes are the published, non-malicious indicator values; nothing here is
 * malware.
 */
export const APP_PURL = 'pkg:generic/3cx/3cx-desktop-app@18.12.416'

export const sampleComponents: Component[] = [
  {
    name: '3CX Desktop App',
    version: '18.12.416',
    ecosystem: 'windows-app',
    purl: APP_PURL,
    locations: ['Programs/3CXDesktopApp'],
    foundBy: 'windows-pe-version',
    vendor: '3cx',
    product: '3cx-desktop-app',
    metadata: { platform: 'windows', fileVersion: '18.12.416.0' },
  },
  {
    name: 'left-pad',
    version: '1.3.0',
    ecosystem: 'npm',
    purl: 'pkg:npm/left-pad@1.3.0',
    locations: ['tools/web/package-lock.json'],
    foundBy: 'npm-package-lock',
  },
]

const FFMPEG_SHA256 = '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896'

export const sampleFindings: Finding[] = [
  makeFinding({
    ruleId: 'advisory/MAL-2023-3cx-desktop-app',
    detector: 'advisory/osv-match',
    layer: 'advisory',
    severity: 'high',
    confidence: 'high',
    title: 'Known-compromised release',
    message: '3CX Desktop App 18.12.416 is a trojanised release (supply-chain compromise, March 2023).',
    locations: [{ path: 'Programs/3CXDesktopApp/3CXDesktopApp.exe' }],
    component: APP_PURL,
    evidence: [
      {
        kind: 'advisory-range',
        advisory: 'MAL-2023-3cx-desktop-app',
        installed: '18.12.416',
        affected: ['18.12.407', '18.12.416'],
      },
    ],
    remediation: { summary: 'Update to 18.12.422 or later', fixedVersion: '18.12.422' },
    references: ['https://www.3cx.com/blog/news/desktopapp-security-alert/'],
    context: { campaign: '3CX supply chain', actor: 'UNC4736' },
  }),
  makeFinding({
    ruleId: 'ioc/file-sha256',
    detector: 'ioc/file-hash',
    layer: 'ioc',
    severity: 'high',
    confidence: 'high',
    title: 'File hash matches an intel indicator',
    message: `SHA-256 ${FFMPEG_SHA256} of ffmpeg.dll is listed by intel record 3cx-ffmpeg-dll.`,
    locations: [{ path: 'Programs/3CXDesktopApp/ffmpeg.dll' }],
    evidence: [
      { kind: 'hash-match', algorithm: 'sha256', value: FFMPEG_SHA256, record: '3cx-ffmpeg-dll' },
    ],
    references: ['https://www.mandiant.com/resources/blog/3cx-software-supply-chain-compromise'],
  }),
  makeFinding({
    ruleId: 'structure/cert-padding',
    detector: 'structure/cert-padding',
    layer: 'structure',
    severity: 'medium',
    confidence: 'medium',
    title: 'Data hidden after the Authenticode signature',
    message: '4,096 bytes of high-entropy data (7.98 bits/byte) follow the PKCS#7 blob.',
    locations: [{ path: 'Programs/3CXDesktopApp/d3dcompiler_47.dll', offset: 4_599_296, length: 4096 }],
    evidence: [{ kind: 'cert-padding', offset: 4_599_296, size: 4096, entropy: 7.98, marker: 'FEEDFACE' }],
  }),
  makeFinding({
    ruleId: 'rule/yara/3CX_ffmpeg_loader',
    detector: 'rule/yara',
    layer: 'rule',
    severity: 'high',
    confidence: 'medium',
    title: 'YARA rule 3CX_ffmpeg_loader matched',
    message: 'Rule 3CX_ffmpeg_loader matched 2 strings in a member of the installer.',
    locations: [{ path: 'downloads/3CXDesktopApp-18.12.416.msi!/ffmpeg.dll', offset: 1024 }],
    evidence: [{ kind: 'yara-match', rule: '3CX_ffmpeg_loader', strings: ['$a', '$b'] }],
  }),
  makeFinding({
    ruleId: 'structure/overlay-entropy',
    detector: 'structure/overlay',
    layer: 'structure',
    severity: 'low',
    confidence: 'low',
    title: 'High-entropy overlay',
    message: 'An overlay of 12,288 bytes with entropy 7.6 follows the last section.',
    locations: [
      {
        path: 'very/long/directory/name/that/goes/on/and/on/and/on/for/quite/a/while/until/it/ends/setup-helper.exe',
      },
    ],
    evidence: [{ kind: 'overlay', offset: 90_112, size: 12_288, entropy: 7.6 }],
  }),
  makeFinding({
    ruleId: 'ioc/file-name',
    detector: 'ioc/file-name',
    layer: 'ioc',
    severity: 'info',
    confidence: 'low',
    title: 'File name seen in an incident',
    message: 'The name d3dcompiler_47.dll appears in intel, but this copy does not match its hashes.',
    locations: [{ path: 'Windows/System32/d3dcompiler_47.dll' }],
    evidence: [{ kind: 'name-match', name: 'd3dcompiler_47.dll', record: '3cx-d3dcompiler' }],
  }),
]

export function sampleReport(): Report {
  const { findings, verdicts } = withCorrelation(sampleFindings, sampleComponents)
  return {
    schemaVersion: 1,
    tool: {
      name: 'vigil',
      version: '0.1.0',
      intel: [{ source: 'bundled', version: '2026.11.1', date: '2026-11-20', records: 412 }],
    },
    createdAt: '2026-11-26T23:00:00.000Z',
    targets: [{ path: '/mnt/image', kind: 'dir' }],
    components: sampleComponents,
    findings,
    verdicts,
    binaries: [
      {
        path: 'Programs/3CXDesktopApp/ffmpeg.dll',
        format: 'pe',
        arch: 'x86_64',
        signer: '3CX Ltd',
        signature: 'valid',
        version: { ProductName: '3CX Desktop App', FileVersion: '18.12.416.0' },
        sections: [{ name: '.text', size: 1_200_128, entropy: 6.41 }],
      },
    ],
    problems: [
      {
        stage: 'collect',
        path: 'downloads/broken.zip',
        message: 'truncated archive: end of central directory not found',
        level: 'error',
      },
      { stage: 'collect', path: 'dev/fifo', message: 'special file (FIFO) skipped', level: 'warning' },
    ],
    stats: { files: 20_431, bytes: 1_234_567_890, durationMs: 6_210, archives: 3, suppressed: 2 },
  }
}
