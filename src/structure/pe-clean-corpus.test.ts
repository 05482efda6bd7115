import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { realPeFiles } from '../binary/pe/testing.js'
import { atLeast } from '../core/severity.js'
import { peCertPaddingDetector } from './pe-cert-padding.js'
import { peOverlayDetector } from './pe-overlay.js'
import { peSignatureDetector } from './pe-signature.js'
import { bufferArtifact, runDetectors } from './pe-testing.js'
import { sideLoadingDetector } from './side-loading.js'

/** The sampled version of bench/clean-corpus-pe.ts: Windows PEs shipped by others come out clean. */
describe('PE clean corpus', () => {
  const files = realPeFiles(200)
  it.skipIf(files.length === 0)(
    `${files.length} PEs on this machine: no high or critical finding`,
    async () => {
      const detectors = [
        peSignatureDetector(),
        peCertPaddingDetector(),
        peOverlayDetector(),
        sideLoadingDetector(),
      ]
      const run = await runDetectors(
        detectors,
        files.map((f) => bufferArtifact(f.slice(1), readFileSync(f))),
      )
      expect(run.summaries).toHaveLength(files.length)
      expect(run.problems).toEqual([])
      const loud = run.findings.filter((f) => atLeast(f.severity, 'high'))
      expect(loud.map((f) => `${f.ruleId} ${f.locations[0]?.path}`)).toEqual([])
    },
  )
})
