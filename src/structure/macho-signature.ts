import type { CmsVerification } from '../binary/macho/cms.js'
import { machoOf } from '../binary/macho/macho-of.js'
import type { MachOSlice } from '../binary/macho/types.js'
import { verifyMachOSignatures } from '../binary/macho/verify-signature.js'
import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding } from '../core/types.js'
import { machoSummaries } from './macho-summary.js'

const RULE = 'structure/macho-page-hash-mismatch'
const RULE_CMS = 'structure/macho-signature-invalid'
const NAME = 'structure/macho-signature'

/**
 * Checks every Mach-O image's code signature: each CodeDirectory page hash against the file and
 * the requirement/entitlement slots against their blobs. A mismatch means the bytes changed after
 * signing (macOS refuses to run such code). Publishes one BinarySummary per image.
 */
export function machoSignatureDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.type === 'macho' || a.type === 'macho-fat',
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      const file = await machoOf(a)
      if (!file) return []
      const bytes = await a.bytes()
      const cms = await a.memo('macho-cms', () => verifyMachOSignatures(bytes, file))
      for (const s of machoSummaries(a.path, file, cms)) ctx.summarize(s)
      const odd = file.anomalies.filter((x) => x.code !== 'page-hash-mismatch')
      if (odd.length > 0) {
        const more = odd.length > 1 ? ` (+${odd.length - 1} more)` : ''
        ctx.problem({
          stage: NAME,
          path: a.path,
          level: 'warning',
          message: `malformed Mach-O: ${odd[0]!.message}${more}`,
        })
      }
      return file.slices.flatMap((s, i) => [
        ...sliceFindings(a.path, s, bytes),
        ...cmsFindings(a.path, s, cms.get(i)),
      ])
    },
  }
}

function sliceFindings(path: string, s: MachOSlice, bytes: Uint8Array): Finding[] {
  const sig = s.codeSignature
  if (!sig) return []
  const out: Finding[] = []
  for (const cd of sig.codeDirectories) {
    const bad = cd.pages.mismatched
    const slots = cd.specialSlots.filter((x) => x.verified === false)
    if (bad.length === 0 && slots.length === 0) continue
    const first = bad[0]
    const signer = sig.cms?.signer?.commonName ?? (sig.kind === 'adhoc' ? 'ad-hoc' : 'unknown')
    const team = sig.cms?.teamId ?? cd.teamId
    const where = first ? `page ${first.index} at offset ${first.offset}` : 'its signature blobs'
    const what = [
      bad.length > 0 ? `${bad.length} of ${cd.pages.checked} code pages` : '',
      slots.length > 0 ? `the ${slots.map((x) => x.name).join(', ')} slot` : '',
    ]
      .filter(Boolean)
      .join(' and ')
    out.push(
      makeFinding({
        ruleId: RULE,
        detector: NAME,
        layer: 'structure',
        severity: 'high',
        confidence: 'high',
        title: 'Mach-O modified after signing',
        message: `${s.arch} image "${cd.identifier}" (signer ${signer}${team ? `, team ${team}` : ''}): ${what} no longer match the ${cd.hashName} hashes in its CodeDirectory (first: ${where}); macOS would refuse to run it and the bytes are not what was signed.`,
        locations: [
          { path, offset: first?.offset ?? sig.offset, ...(first ? { length: first.size } : {}) },
        ],
        evidence: [
          {
            kind: 'macho-page-hash-mismatch',
            arch: s.arch,
            identifier: cd.identifier,
            ...(team ? { teamId: team } : {}),
            signer,
            signature: sig.kind,
            cdhash: cd.cdhash,
            codeDirectorySlot: cd.slot,
            hashType: cd.hashName,
            pageSize: cd.pageSize,
            codeLimit: cd.codeLimit,
            pagesChecked: cd.pages.checked,
            pagesMismatched: bad.length,
            mismatches: bad.slice(0, 8).map((m) => ({
              ...m,
              head: Buffer.from(bytes.subarray(m.offset, m.offset + 16)).toString('hex'),
            })),
            ...(slots.length > 0 ? { specialSlotsMismatched: slots.map((x) => x.name) } : {}),
          },
        ],
        remediation: {
          summary:
            'Do not run this binary. Compare it with the vendor’s original release (hash) and reinstall from a trusted source; find out what modified it.',
        },
      }),
    )
  }
  return out
}

/**
 * Page hashes can be made to match again by rewriting the CodeDirectory; the CMS signature over
 * the CodeDirectory then no longer verifies.
 */
function cmsFindings(path: string, s: MachOSlice, v: CmsVerification | undefined): Finding[] {
  const sig = s.codeSignature
  const cd = sig?.codeDirectories[0]
  if (!sig || !cd || !v || v.verified) return []
  const signer = sig.cms?.signer
  const team = sig.cms?.teamId ?? cd.teamId
  return [
    makeFinding({
      ruleId: RULE_CMS,
      detector: NAME,
      layer: 'structure',
      severity: 'high',
      confidence: 'high',
      title: 'Mach-O code signature does not verify',
      message: `${s.arch} image "${cd.identifier}": the CMS signature by ${signer?.commonName ?? 'an unknown signer'}${team ? ` (team ${team})` : ''} does not verify over the CodeDirectory (${v.reason ?? 'no reason given'}); the CodeDirectory was changed after signing.`,
      locations: [{ path, offset: sig.offset, length: sig.size }],
      evidence: [
        {
          kind: 'macho-signature-invalid',
          arch: s.arch,
          identifier: cd.identifier,
          ...(team ? { teamId: team } : {}),
          signer: signer?.subject,
          issuer: signer?.issuer,
          signerSha256: signer?.sha256,
          cdhash: cd.cdhash,
          reason: v.reason,
        },
      ],
      remediation: {
        summary:
          'Do not run this binary; reinstall the application from the vendor and compare hashes.',
      },
    }),
  ]
}
