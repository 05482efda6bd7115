import { machoOf } from '../binary/macho/macho-of.js'
import type { Overlay } from '../binary/macho/types.js'
import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { Detector } from '../core/plugin.js'
import type { Finding } from '../core/types.js'

const RULE = 'structure/high-entropy-overlay'
const NAME = 'structure/macho-overlay'
/** Bits per byte above which appended data looks compressed or encrypted. */
export const OVERLAY_ENTROPY = 7.2
/** Smaller tails (alignment, a short trailer) are not reported. */
export const OVERLAY_MIN_BYTES = 1024

/**
 * Data appended to a Mach-O image after its last segment and its code signature is not covered by
 * the signature and is never mapped by the loader: a place to hide an encrypted payload that a
 * loader elsewhere reads from disk.
 */
export function machoOverlayDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.type === 'macho' || a.type === 'macho-fat',
    async detect(a: Artifact): Promise<Finding[]> {
      const file = await machoOf(a)
      if (!file) return []
      const tails: { where: string; overlay: Overlay; signed: boolean }[] = []
      for (const s of file.slices) {
        if (s.overlay)
          tails.push({ where: `${s.arch} image`, overlay: s.overlay, signed: !!s.codeSignature })
      }
      if (file.overlay)
        tails.push({ where: 'universal file', overlay: file.overlay, signed: false })
      return tails
        .filter((t) => t.overlay.size >= OVERLAY_MIN_BYTES && t.overlay.entropy >= OVERLAY_ENTROPY)
        .map((t) => overlayFinding(a.path, t.where, t.overlay, t.signed))
    },
  }
}

function overlayFinding(path: string, where: string, o: Overlay, signed: boolean): Finding {
  return makeFinding({
    ruleId: RULE,
    detector: NAME,
    layer: 'structure',
    severity: 'medium',
    confidence: 'medium',
    title: 'High-entropy data appended to a Mach-O',
    message: `${o.size} bytes of entropy ${o.entropy} follow the end of the ${where} at offset ${o.offset}${signed ? ', outside the code signature' : ''}; the loader never maps them, so something else must read them.`,
    locations: [{ path, offset: o.offset, length: o.size }],
    evidence: [
      {
        kind: 'overlay',
        format: 'macho',
        where,
        offset: o.offset,
        size: o.size,
        entropy: o.entropy,
        head: o.head,
        coveredBySignature: false,
      },
    ],
  })
}
