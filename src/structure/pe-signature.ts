import { authenticodeOf } from '../binary/authenticode/authenticode-of.js'
import type { AuthenticodeSignature } from '../binary/authenticode/types.js'
import { peOf } from '../binary/pe/pe-of.js'
import type { Artifact } from '../core/artifact.js'
import { errorMessage } from '../core/errors.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Evidence, Finding } from '../core/types.js'
import { peSummary } from './pe-summary.js'

const NAME = 'structure/pe-signature'
const REFERENCES = [
  'https://learn.microsoft.com/en-us/windows-hardware/drivers/install/authenticode',
]

/**
 * Verifies every PE's Authenticode signature, publishes its BinarySummary, and reports images
 * changed after signing (digest mismatch, high) and signatures that do not verify (medium).
 */
export function peSignatureDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.type === 'pe',
    async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
      try {
        const pe = await peOf(a)
        const auth = await authenticodeOf(a, ctx.trustStore)
        if (!pe || !auth) return []
        ctx.summarize(peSummary(a.path, pe, auth))
        const internal = pe.anomalies.find((x) => x.code === 'internal-error')
        if (internal)
          ctx.problem({ stage: 'pe', path: a.path, message: internal.message, level: 'warning' })
        // One finding per rule and file: a nested signature repeats what the primary already says.
        const findings = auth.signatures.flatMap((sig) => signatureFindings(a, sig))
        return findings.filter((f, i) => findings.findIndex((g) => g.ruleId === f.ruleId) === i)
      } catch (e) {
        ctx.problem({ stage: 'pe', path: a.path, message: errorMessage(e), level: 'error' })
        return []
      }
    },
  }
}

function signatureFindings(a: Artifact, sig: AuthenticodeSignature): Finding[] {
  const which = sig.nested ? `nested signature #${sig.index}` : 'Authenticode signature'
  const signer = sig.signer?.name ?? 'unknown signer'
  if (sig.state === 'digest-mismatch') {
    return [
      makeFinding({
        ruleId: 'structure/authenticode-digest-mismatch',
        detector: NAME,
        layer: 'structure',
        severity: 'high',
        confidence: 'high',
        title: 'PE modified after signing',
        message:
          `${a.name}: the ${which} by ${signer} is intact, but the file no longer matches it: ` +
          `signed ${sig.digestAlgorithm} image digest ${sig.signedDigest}, computed ${sig.computedDigest}. ` +
          'The file was changed after it was signed.',
        locations: [{ path: a.path }],
        evidence: [signatureEvidence(sig)],
        references: REFERENCES,
      }),
    ]
  }
  if (sig.state === 'bad-signature') {
    return [
      makeFinding({
        ruleId: 'structure/authenticode-bad-signature',
        detector: NAME,
        layer: 'structure',
        severity: 'medium',
        confidence: 'high',
        title: 'Authenticode signature does not verify',
        message: `${a.name}: the ${which} (signer ${signer}) does not verify: ${sig.problems.join('; ')}.`,
        locations: [{ path: a.path }],
        evidence: [signatureEvidence(sig)],
        references: REFERENCES,
      }),
    ]
  }
  return []
}

function signatureEvidence(sig: AuthenticodeSignature): Evidence {
  return {
    kind: 'authenticode',
    state: sig.state,
    nested: sig.nested,
    digestAlgorithm: sig.digestAlgorithm,
    signedDigest: sig.signedDigest,
    computedDigest: sig.computedDigest,
    signer: sig.signer?.subject,
    signerSerial: sig.signer?.serialNumber,
    signerSha256: sig.signer?.sha256,
    signingTime: sig.signingTime,
    problems: sig.problems,
  }
}
