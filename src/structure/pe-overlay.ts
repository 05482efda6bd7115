import { authenticodeOf } from '../binary/authenticode/authenticode-of.js'
import { describeSigner } from '../binary/authenticode/summary.js'
import { peOf } from '../binary/pe/pe-of.js'
import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding } from '../core/types.js'
import { recognisedInstaller } from './installer-formats.js'

const NAME = 'structure/pe-overlay'
const RULE = 'structure/high-entropy-overlay'
/** Bits per byte above which appended data looks compressed or encrypted. */
export const PE_OVERLAY_ENTROPY = 7.2
/** Smaller tails are not judged: their entropy says little. */
export const PE_OVERLAY_MIN_BYTES = 1024

/**
 * High-entropy data after the last section of a PE (not the certificate table) that is not a
 * recognised installer or self-extractor payload: the loader never maps it, so something else
 * reads it from disk.
 */
export function peOverlayDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.type === 'pe',
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      const pe = await peOf(a).catch(() => undefined)
      const o = pe?.overlay
      if (!pe || !o || o.size < PE_OVERLAY_MIN_BYTES || o.entropy < PE_OVERLAY_ENTROPY) return []
      const bytes = await a.bytes()
      const installer = recognisedInstaller(
        bytes,
        o.offset,
        pe.sections.map((s) => s.name),
      )
      if (installer) return []
      const auth = await authenticodeOf(a, ctx.trustStore).catch(() => undefined)
      const signed = auth && auth.state !== 'unsigned'
      return [
        makeFinding({
          ruleId: RULE,
          detector: NAME,
          layer: 'structure',
          severity: 'medium',
          confidence: 'medium',
          title: 'High-entropy data appended to a PE',
          message:
            `${a.name}: ${o.size} bytes of entropy ${o.entropy} follow the last section at offset ` +
            `${o.offset}${signed ? ` (file signature: ${describeSigner(auth)})` : ''}; ` +
            'no installer or self-extractor format was recognised, and the loader never maps them.',
          locations: [{ path: a.path, offset: o.offset, length: o.size }],
          evidence: [
            {
              kind: 'overlay',
              offset: o.offset,
              size: o.size,
              entropy: o.entropy,
              head: o.head,
              signature: auth?.state ?? 'unknown',
              signer: describeSigner(auth),
            },
          ],
        }),
      ]
    },
  }
}
