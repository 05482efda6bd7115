import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import { atLeast } from '../core/severity.js'
import type { Confidence, Finding, Severity } from '../core/types.js'
import type { FileIndicator } from '../intel/records.js'
import {
  contextOf,
  contextPhrase,
  indicatorEvidence,
  maxConfidence,
  minConfidence,
  referencesOf,
  topSeverity,
} from './evidence.js'

/**
 * A file whose name or path matches a file-name / path indicator. Names are weak evidence (any
 * benign file may share one), so on its own a match is at most `medium` severity and at most
 * `low` (name) or `medium` (path) confidence, whatever the record says; correlation raises it
 * when another layer agrees about the same file. The record's own severity stays in the evidence.
 */
export const fileNameDetector: Detector = {
  name: 'ioc/file-name',
  version: 1,
  layer: 'ioc',
  async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
    const records = ctx.intel.matchFile(a.path)
    if (records.length === 0) return []
    const out: Finding[] = []
    const byName = records.filter((r) => r.type === 'filename')
    const byPath = records.filter((r) => r.type === 'path')
    if (byName.length) out.push(nameFinding(a, byName, 'ioc/file-name', 'low', 'ioc/file-name'))
    if (byPath.length) out.push(nameFinding(a, byPath, 'ioc/file-path', 'medium', 'ioc/file-name'))
    return out
  },
}

function capped(s: Severity): Severity {
  return atLeast(s, 'medium') ? 'medium' : s
}

function nameFinding(
  a: Artifact,
  records: readonly FileIndicator[],
  ruleId: string,
  confidenceCap: Confidence,
  detector: string,
): Finding {
  const recordSeverity = topSeverity(records)
  const severity = capped(recordSeverity)
  const context = contextOf(records)
  const what = ruleId === 'ioc/file-name' ? 'name' : 'path'
  const note =
    severity !== recordSeverity
      ? ` Intel rates it ${recordSeverity}; a ${what} alone is weak evidence, so it is reported at ${severity} unless another layer agrees.`
      : ''
  return makeFinding({
    ruleId,
    detector,
    layer: 'ioc',
    severity,
    confidence: minConfidence(maxConfidence(records.map((r) => r.confidence)), confidenceCap),
    title: `File ${what} matches intel: ${records[0]!.value}`,
    message: `${a.path} matches the ${what} indicator ${records.map((r) => `'${r.value}' of ${r.id} (${r.source})`).join(', ')}${contextPhrase(context)}.${note}`,
    locations: [{ path: a.path }],
    evidence: records.map((r) => ({
      ...indicatorEvidence(`${what}-match`, r, a.path),
      sha256: a.hashes.sha256,
    })),
    references: referencesOf(records),
    ...(context && { context }),
  })
}
