import { type CmsVerification, verifyCms } from './cms.js'
import type { MachOFile } from './types.js'

/**
 * Checks each slice's CMS signature over its primary CodeDirectory. A code signature whose page
 * hashes match but whose CMS signature does not verify was rewritten after signing (the
 * CodeDirectory changed together with the code). Result per slice index; ad-hoc and unsigned
 * slices are absent.
 */
export async function verifyMachOSignatures(
  bytes: Uint8Array,
  file: MachOFile,
): Promise<Map<number, CmsVerification>> {
  const out = new Map<number, CmsVerification>()
  for (const [i, s] of file.slices.entries()) {
    const sig = s.codeSignature
    const cmsBlob = sig?.blobs.find((b) => b.slot === 0x10000)
    const cdBlob = sig?.blobs.find((b) => b.slot === 0)
    if (!sig?.cms || !cmsBlob || !cdBlob || cmsBlob.length <= 8) continue
    const der = bytes.subarray(cmsBlob.offset + 8, cmsBlob.offset + cmsBlob.length)
    const cd = bytes.subarray(cdBlob.offset, cdBlob.offset + cdBlob.length)
    out.set(i, await verifyCms(der, cd))
  }
  return out
}
