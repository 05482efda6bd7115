import type { CmsVerification } from '../binary/macho/cms.js'
import type { MachOFile, MachOSlice } from '../binary/macho/types.js'
import type { BinarySummary } from '../core/types.js'

/** One summary per Mach-O image (a universal file gives one per slice, `arch` set). */
export function machoSummaries(
  path: string,
  file: MachOFile,
  cms: Map<number, CmsVerification> = new Map(),
): BinarySummary[] {
  return file.slices.flatMap((s, i) =>
    s.loadCommands.length > 0 ? [sliceSummary(path, s, cms.get(i))] : [],
  )
}

/**
 * `unsigned` | `adhoc` | `valid-untrusted-root` (CMS signature over the CodeDirectory verified,
 * chain not judged) | `bad-signature` | `digest-mismatch` | `malformed`.
 */
export function signatureState(s: MachOSlice, cms?: CmsVerification): string {
  const sig = s.codeSignature
  if (!sig) return 'unsigned'
  if (sig.kind === 'malformed') return 'malformed'
  const tampered = sig.codeDirectories.some(
    (cd) => cd.pages.mismatched.length > 0 || cd.specialSlots.some((x) => x.verified === false),
  )
  if (tampered) return 'digest-mismatch'
  if (sig.kind === 'adhoc') return 'adhoc'
  if (!sig.cms?.signer) return 'malformed'
  return cms?.verified ? 'valid-untrusted-root' : 'bad-signature'
}

function sliceSummary(path: string, s: MachOSlice, cms?: CmsVerification): BinarySummary {
  const sig = s.codeSignature
  const cd = sig?.codeDirectories[0]
  const signer = sig?.cms?.signer
  const summary: BinarySummary = {
    path,
    format: 'macho',
    arch: s.arch,
    fileType: s.fileType,
    signature: signatureState(s, cms),
    imports: Object.fromEntries(s.dylibs.map((d) => [d.path.toLowerCase(), []])),
    dylibs: s.dylibs.map((d) => ({ path: d.path, kind: d.kind })),
    sections: s.segments.flatMap((seg) =>
      seg.sections.map((x) => ({
        name: `${x.segment},${x.name}`,
        size: x.size,
        entropy: x.entropy,
      })),
    ),
  }
  if (s.overlay) {
    summary.overlay = { offset: s.overlay.offset, size: s.overlay.size, entropy: s.overlay.entropy }
  }
  if (s.uuid) summary.uuid = s.uuid
  if (s.idDylib) summary.installName = s.idDylib.path
  if (s.rpaths.length > 0) summary.rpaths = s.rpaths
  if (s.buildVersion) summary.minOs = `${s.buildVersion.platform} ${s.buildVersion.minOs}`
  if (cd) {
    summary.identifier = cd.identifier
    summary.cdhash = cd.cdhash
    summary.cdhashes = sig.codeDirectories.map((c) => c.cdhash)
    summary.hashType = cd.hashName
    summary.codeSignFlags = cd.flagNames
    if (cd.teamId) summary.teamId = cd.teamId
    // Dual-signed binaries carry a SHA-1 and a SHA-256 CodeDirectory: the seal slots are checked
    // through the SHA-256 one, the hash every scan computes.
    const sealing = sig.codeDirectories.find((c) => c.hashName === 'sha256') ?? cd
    const slot = (name: string) => sealing.specialSlots.find((x) => x.name === name)?.hash
    const info = slot('info-plist')
    const resources = slot('code-resources')
    if (info || resources) {
      summary.sealedFiles = {
        hashType: sealing.hashName,
        ...(info ? { infoPlist: info } : {}),
        ...(resources ? { codeResources: resources } : {}),
      }
    }
  }
  const team = sig?.cms?.teamId ?? cd?.teamId
  if (signer) {
    summary.signer = signer.commonName ?? signer.subject
    summary.signerThumbprint = signer.sha256
  } else if (team) summary.signer = team
  if (sig?.entitlements) summary.entitlements = sig.entitlements.keys
  return summary
}
