import type { Artifact } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { Evidence, Finding } from '../core/types.js'
import type { HashKind } from '../intel/intel.js'
import type { FileIndicator } from '../intel/records.js'
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

/** One indicator the file matched, and which of the file's hashes matched it. */
interface Hit {
  record: FileIndicator
  /** `sha256` for a SHA-1/MD5 record matched through its `sampleSha256`. */
  matchedBy: HashKind
  hex: string
}

/**
 * A file whose hash is a known-bad indicator. One finding per kind of indicator matched (rule
 * `ioc/file-sha256`, `ioc/file-sha1`, `ioc/file-md5`), at the worst matching record's severity and
 * the best record's confidence, with one evidence entry per record. A SHA-1 / MD5 indicator that
 * gives the SHA-256 of its sample matches a file with that SHA-256 (no weak hash is computed for
 * it); its evidence then says so (`matchedBy: 'sha256'`). A hash match is exact, so it carries the
 * record's severity as is.
 */
export const fileHashDetector: Detector = {
  name: 'ioc/file-hash',
  version: 2,
  layer: 'ioc',
  async detect(a: Artifact, ctx: ArtifactContext): Promise<Finding[]> {
    const hits = new Map<FileIndicator, Hit>()
    for (const kind of KINDS) {
      const hex = a.hashes[kind]
      if (!hex) continue
      for (const record of ctx.intel.lookupHash(kind, hex)) {
        const prev = hits.get(record)
        // The record's own hash matching says more than a match through its sample's SHA-256.
        if (!prev || (prev.matchedBy !== record.type && kind === record.type))
          hits.set(record, { record, matchedBy: kind, hex })
      }
    }
    const out: Finding[] = []
    for (const type of KINDS) {
      const group = [...hits.values()].filter((h) => h.record.type === type)
      if (group.length) out.push(hashFinding(a, type, group))
    }
    return out
  },
}

function hashFinding(a: Artifact, type: HashKind, hits: readonly Hit[]): Finding {
  const records = hits.map((h) => h.record)
  const context = contextOf(records)
  const first = records[0]!
  const label = first.malware ?? first.campaign ?? first.description ?? 'known-bad file'
  const direct = hits.filter((h) => h.matchedBy === type)
  const viaSample = hits.filter((h) => h.matchedBy !== type)
  const listed = (list: readonly Hit[]) =>
    list.map((h) => `${h.record.id} (${h.record.source})`).join(', ')
  const sentences: string[] = []
  if (direct.length)
    sentences.push(
      `${a.path} has ${LABEL[type]} ${direct[0]!.hex}, listed in intel as ${listed(direct)}`,
    )
  if (viaSample.length) {
    const by = viaSample[0]!
    sentences.push(
      `${a.path} has ${LABEL[by.matchedBy]} ${by.hex}, that of the sample whose ${LABEL[type]} ${viaSample.map((h) => h.record.value).join(', ')} intel lists as ${listed(viaSample)}`,
    )
  }
  return makeFinding({
    ruleId: `ioc/file-${type}`,
    detector: 'ioc/file-hash',
    layer: 'ioc',
    severity: topSeverity(records),
    confidence: maxConfidence(records.map((r) => r.confidence)),
    title: direct.length
      ? `File ${LABEL[type]} matches intel: ${label}`
      : `File is the sample of an intel ${LABEL[type]} indicator: ${label}`,
    message: `${sentences.join('; ')}${contextPhrase(context)}.`,
    locations: [{ path: a.path }],
    evidence: hits.map((h) => hitEvidence(h, a.size)),
    references: referencesOf(records),
    ...(context && { context }),
    remediation: {
      summary:
        'Isolate the host, remove the file and replace it from a known-good source; investigate how it arrived.',
    },
  })
}

function hitEvidence(h: Hit, size: number): Evidence {
  const e: Evidence = { ...indicatorEvidence('hash-match', h.record, h.hex), size }
  if (h.matchedBy === h.record.type) return e
  return {
    ...e,
    matchedBy: h.matchedBy,
    note: `the file's ${LABEL[h.matchedBy]} equals the one the record gives for the sample whose ${LABEL[h.record.type as HashKind]} it lists`,
  }
}
