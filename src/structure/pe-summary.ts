import type { AuthenticodeResult } from '../binary/authenticode/types.js'
import { importMap } from '../binary/pe/imports.js'
import type { PeFile } from '../binary/pe/types.js'
import type { BinarySummary } from '../core/types.js'

/** The compact per-PE facts inventory, diff and the server reuse. */
export function peSummary(path: string, pe: PeFile, auth: AuthenticodeResult): BinarySummary {
  const primary = auth.signatures[0]
  const s: BinarySummary = {
    path,
    format: 'pe',
    arch: pe.arch,
    signature: auth.state,
    kind: pe.isDll ? 'dll' : 'exe',
    imports: importMap(pe.imports),
    exports: (pe.exports?.functions ?? []).map((f) => f.name ?? `#${f.ordinal}`),
    sections: pe.sections.map((x) => ({ name: x.name, size: x.rawSize, entropy: x.entropy })),
  }
  if (primary?.signer) {
    s.signer = primary.signer.name
    s.signerThumbprint = primary.signer.sha256
    s.signerSubject = primary.signer.subject
  }
  if (pe.versionInfo) s.version = versionRecord(pe)
  if (pe.imphash) s.imphash = pe.imphash
  if (pe.overlay) s.overlay = pick(pe.overlay)
  const padding = largestPadding(pe)
  if (padding) s.certPadding = padding
  const pdb = pe.debug.find((d) => d.pdbPath)?.pdbPath
  if (pdb) s.pdbPath = pdb
  if (pe.clr) s.dotnet = true
  return s
}

function versionRecord(pe: PeFile): Record<string, string> {
  const v: Record<string, string> = { ...pe.versionInfo?.strings }
  const fixed = pe.versionInfo?.fixed
  if (fixed) {
    v.FixedFileVersion = fixed.fileVersion
    v.FixedProductVersion = fixed.productVersion
  }
  return v
}

function pick(r: { offset: number; size: number; entropy: number }) {
  return { offset: r.offset, size: r.size, entropy: r.entropy }
}

function largestPadding(pe: PeFile) {
  let best: { offset: number; size: number; entropy: number } | undefined
  for (const e of pe.certificateTable?.entries ?? []) {
    if (e.beyondAlignment > 0 && e.trailing && (!best || e.trailing.size > best.size)) {
      best = pick(e.trailing)
    }
  }
  return best
}
