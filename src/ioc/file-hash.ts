import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Finding } from '../core/types.js'
import {
  contextOf,
  contextPhrase,
  indicatorEvidence,
  maxConfidence,
  referencesOf,
  topSeverity,
} from './evidence.js'

const KINDS = ['sha256', 'sha1', 'md5'] as const
const LABEL = { sha256: 'SHA-256', sha1: 'SHA-1', md5: 'MD5' } as const

/**
 * A file whose hash is a known-bad indicator. One finding per hash kind that matched (rule
 * `ioc/file-sha256`, `ioc/file-sha1`, `ioc/file-md5`), at the worst matching record's severity and
 * the best record's confidence, with one evidence entry per record. A hash match is exact, so it
 * carries the record's severity as is.
 */
export const fileHashDetector: Detector = {
  name: 'ioc/file-hash',
  version: 1,
  layer: 'ioc',
  async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
    const out: Finding[] = []
    for (const kind of KINDS) {
      const hex = a.hashes[kind]
      if (!hex || !ctx.intel.hashKinds.has(kind)) continue
      const records = ctx.intel.lookupHash(kind, hex)
      if (records.length === 0) continue
      const context = contextOf(records)
      const first = records[0]!
      const label = first.malware ?? first.campaign ?? first.description ?? 'known-bad file'
      out.push(
        makeFinding({
          ruleId: `ioc/file-${kind}`,
          detector: 'ioc/file-hash',
          layer: 'ioc',
          severity: topSeverity(records),
          confidence: maxConfidence(records.map((r) => r.confidence)),
          title: `File ${LABEL[kind]} matches intel: ${label}`,
          message: `${a.path} has ${LABEL[kind]} ${hex}, listed in intel as ${records.map((r) => `${r.id} (${r.source})`).join(', ')}${contextPhrase(context)}.`,
          locations: [{ path: a.path }],
          evidence: records.map((r) => ({
            ...indicatorEvidence('hash-match', r, hex),
            size: a.size,
          })),
          references: referencesOf(records),
          ...(context && { context }),
          remediation: {
            summary:
              'Isolate the host, remove the file and replace it from a known-good source; investigate how it arrived.',
          },
        }),
      )
    }
    return out
  },
}
