import { authenticodeOf } from '../binary/authenticode/authenticode-of.js'
import {
  describeSigner,
  primarySignature,
  signatureValidates,
} from '../binary/authenticode/summary.js'
import type { AuthenticodeResult } from '../binary/authenticode/types.js'
import { peOf } from '../binary/pe/pe-of.js'
import { hex } from '../binary/pe/reader.js'
import type { ByteRegion, PeFile } from '../binary/pe/types.js'
import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding, Severity } from '../core/types.js'

const NAME = 'structure/cert-padding'
/** At or above this many extra bytes the padding is high on size alone. */
export const PADDING_HIGH_BYTES = 64
/** Entropy (bits per byte) above which extra data looks encrypted or compressed. */
export const PADDING_HIGH_ENTROPY = 6.5
const MARKER_SCAN_BYTES = 4096

const REFERENCES = [
  'https://nvd.nist.gov/vuln/detail/CVE-2013-3900',
  'https://www.elastic.co/security-labs/elastic-users-protected-from-suddenicon-supply-chain-attack',
]

/** Extra bytes inside the signature area after the PKCS#7 blob, as one place to judge. */
interface Padding {
  where: 'entry' | 'table'
  region: ByteRegion
  /** Bytes beyond the PKCS#7 blob rounded up to 8: what alignment cannot explain. */
  beyondAlignment: number
  derLength?: number
  entryLength?: number
}

/**
 * The CVE-2013-3900 padding trick (3CX d3dcompiler_47.dll): data appended inside the Authenticode
 * certificate table after the PKCS#7 signature. Windows ignores it by default, so the signature
 * still validates while the file carries a payload a side-loaded DLL can read.
 */
export function peCertPaddingDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.type === 'pe',
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      const pe = await peOf(a).catch(() => undefined)
      if (!pe?.certificateTable) return []
      const paddings = findPaddings(pe).filter(worthReporting)
      if (paddings.length === 0) return []
      const auth = await authenticodeOf(a, ctx.trustStore).catch(() => undefined)
      const bytes = await a.bytes()
      return paddings.map((p) => finding(a, p, auth, bytes))
    },
  }
}

export function findPaddings(pe: PeFile): Padding[] {
  const out: Padding[] = []
  for (const e of pe.certificateTable?.entries ?? []) {
    if (!e.trailing || e.beyondAlignment === 0) continue
    const p: Padding = {
      where: 'entry',
      region: e.trailing,
      beyondAlignment: e.beyondAlignment,
      entryLength: e.length,
    }
    if (e.derLength !== undefined) p.derLength = e.derLength
    out.push(p)
  }
  const slack = pe.certificateTable?.slack
  if (slack && slack.size > 0) {
    out.push({ where: 'table', region: slack, beyondAlignment: slack.size })
  }
  return out
}

/** Small all-zero padding is alignment slop, not a finding. */
function worthReporting(p: Padding): boolean {
  return p.region.size >= PADDING_HIGH_BYTES || p.region.entropy > 0 || !isZeroHead(p.region)
}

function isZeroHead(r: ByteRegion): boolean {
  return /^(00)*$/.test(r.head)
}

/** A 4-byte value (not one repeated byte) written twice in a row, like FE ED FA CE FE ED FA CE. */
export function repeatedMarker(
  bytes: Uint8Array,
  start: number,
  size: number,
): { offset: number; hex: string } | undefined {
  const end = Math.min(bytes.length, start + Math.min(size, MARKER_SCAN_BYTES)) - 8
  for (let i = start; i <= end; i++) {
    const a = bytes[i]
    if (a === bytes[i + 1] && a === bytes[i + 2] && a === bytes[i + 3]) continue
    if (
      bytes[i] === bytes[i + 4] &&
      bytes[i + 1] === bytes[i + 5] &&
      bytes[i + 2] === bytes[i + 6] &&
      bytes[i + 3] === bytes[i + 7]
    ) {
      return { offset: i, hex: hex(bytes.subarray(i, i + 4)) }
    }
  }
  return undefined
}

function finding(a: Artifact, p: Padding, auth: AuthenticodeResult | undefined, bytes: Buffer) {
  const r = p.region
  const firstData = firstNonZero(bytes, r.offset, r.size)
  const marker = repeatedMarker(bytes, r.offset, r.size)
  const tag = installerTag(bytes, firstData, r.offset + r.size)
  const severity: Severity = tag
    ? 'low'
    : r.size >= PADDING_HIGH_BYTES || r.entropy >= PADDING_HIGH_ENTROPY || marker
      ? 'high'
      : 'medium'
  const sig = primarySignature(auth)
  const validates = signatureValidates(auth)
  const where =
    p.where === 'entry'
      ? 'after the PKCS#7 signature inside its WIN_CERTIFICATE'
      : 'after the last WIN_CERTIFICATE inside the certificate table'
  const facts = [`entropy ${r.entropy}`]
  if (marker) facts.push(`marker ${spaced(marker.hex)} repeated at offset ${marker.offset}`)
  const message =
    `${a.name}: ${r.size} bytes at offset ${r.offset} ${where} (${facts.join(', ')}; first data ` +
    `${spaced(hex(bytes.subarray(firstData, firstData + 16)))} at offset ${firstData}). ` +
    (validates
      ? `The Authenticode signature still validates (signer ${describeSigner(auth)}), because Windows ignores this area unless EnableCertPaddingCheck is set (CVE-2013-3900).`
      : `The signature does not validate (${describeSigner(auth)}).`) +
    (tag
      ? ` The data is a ${tag} installer tag: vendors use this area for download metadata.`
      : ' The 3CX attack hid its encrypted payload this way in d3dcompiler_47.dll.')
  return makeFinding({
    ruleId: NAME,
    detector: NAME,
    layer: 'structure',
    severity,
    confidence: severity === 'high' ? 'high' : 'medium',
    title: 'Data hidden in the Authenticode certificate table',
    message,
    locations: [{ path: a.path, offset: r.offset, length: r.size }],
    evidence: [
      {
        kind: 'cert-padding',
        offset: r.offset,
        size: r.size,
        beyondAlignment: p.beyondAlignment,
        entropy: r.entropy,
        firstDataOffset: firstData,
        head: hex(bytes.subarray(firstData, firstData + 16)),
        ...(marker ? { marker: marker.hex, markerOffset: marker.offset } : {}),
        ...(tag ? { installerTag: tag } : {}),
        ...(p.derLength !== undefined ? { pkcs7DerLength: p.derLength } : {}),
        ...(p.entryLength !== undefined ? { winCertificateLength: p.entryLength } : {}),
        signatureState: auth?.state ?? 'unknown',
        signatureValidates: validates,
        ...(sig?.signer
          ? {
              signer: sig.signer.subject,
              signerSha256: sig.signer.sha256,
              signerSerial: sig.signer.serialNumber,
            }
          : {}),
      },
    ],
    references: REFERENCES,
  })
}

/**
 * Known benign users of the padding: Google Omaha tagged installers write `Gact`, a 16-bit
 * length and `key=value&…` text there. Text only: a tag followed by high-entropy data is not one.
 */
function installerTag(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (start + 6 > end || hex(bytes.subarray(start, start + 4)) !== '47616374') return undefined
  const length = (bytes[start + 4]! << 8) | bytes[start + 5]!
  const text = bytes.subarray(start + 6, Math.min(end, start + 6 + length))
  if (text.length === 0 || text.length !== length) return undefined
  if (!text.every((b) => b >= 0x20 && b < 0x7f)) return undefined
  // Nothing but zeros may follow the tag.
  return bytes.subarray(start + 6 + length, end).every((b) => b === 0) ? 'Google Omaha' : undefined
}

function firstNonZero(bytes: Uint8Array, start: number, size: number): number {
  const end = Math.min(bytes.length, start + size)
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return i
  return start
}

function spaced(h: string): string {
  return h.replace(/(..)(?!$)/g, '$1 ')
}
