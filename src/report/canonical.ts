import { severityRank } from '../core/severity.js'
import type {
  BinarySummary,
  Component,
  FileEntry,
  Finding,
  Problem,
  Report,
  Verdict,
} from '../core/types.js'

/**
 * The report in its one written form: keys in contract order (BRIEF §4), unknown keys after them
 * sorted, plain-JSON values with sorted keys, and every list that has no meaningful order sorted.
 * The same scan gives the same bytes.
 */

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Plain JSON with object keys sorted; `undefined` dropped like JSON.stringify does. */
export function sortedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedJson)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k]
    if (x !== undefined) out[k] = sortedJson(x)
  }
  return out
}

/** `first` keys in that order (when present), then the rest sorted. */
function ordered(obj: object, first: readonly string[], deep = true): Record<string, unknown> {
  const src = obj as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of first) if (src[k] !== undefined) out[k] = src[k]
  for (const k of Object.keys(src).sort()) {
    if (first.includes(k) || src[k] === undefined) continue
    out[k] = deep ? sortedJson(src[k]) : src[k]
  }
  return out
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.locations[0]?.path ?? '', b.locations[0]?.path ?? '') ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.id, b.id)
  )
}

function finding(f: Finding): Record<string, unknown> {
  return ordered(
    {
      ...f,
      locations: f.locations.map((l) => ordered(l, ['path', 'offset', 'length', 'line'])),
      evidence: f.evidence.map((e) => ordered(e, ['kind'])),
      remediation: f.remediation && ordered(f.remediation, ['summary', 'fixedVersion']),
      context: f.context && ordered(f.context, ['campaign', 'actor', 'malware']),
    },
    [
      'id',
      'ruleId',
      'detector',
      'layer',
      'severity',
      'confidence',
      'title',
      'message',
      'locations',
      'component',
      'evidence',
      'remediation',
      'references',
      'context',
    ],
    false,
  )
}

function component(c: Component): Record<string, unknown> {
  return ordered(
    { ...c, locations: [...c.locations].sort(cmp), metadata: c.metadata && sortedJson(c.metadata) },
    [
      'name',
      'version',
      'ecosystem',
      'purl',
      'locations',
      'foundBy',
      'vendor',
      'product',
      'metadata',
    ],
    false,
  )
}

function verdict(v: Verdict): Record<string, unknown> {
  return ordered(v, ['subject', 'subjectKind', 'severity', 'layers', 'findingIds', 'reasons'])
}

function problem(p: Problem): Record<string, unknown> {
  return ordered(p, ['stage', 'path', 'message', 'level'])
}

function binary(b: BinarySummary): Record<string, unknown> {
  return ordered(b, ['path', 'format', 'arch', 'signer', 'signature'])
}

function file(f: FileEntry): Record<string, unknown> {
  return ordered(f, ['path', 'size', 'type', 'sha256', 'strings'])
}

const byKeys =
  <T>(...keys: ((x: T) => string)[]) =>
  (a: T, b: T): number => {
    for (const k of keys) {
      const c = cmp(k(a), k(b))
      if (c !== 0) return c
    }
    return 0
  }

/** The report with contract key order and sorted lists (targets keep the user's order). */
export function canonicalReport(r: Report): Record<string, unknown> {
  const verdicts =
    r.verdicts &&
    [...r.verdicts].sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || cmp(a.subject, b.subject),
    )
  return ordered(
    {
      ...r,
      tool: ordered(
        {
          ...r.tool,
          intel: r.tool.intel.map((i) => ordered(i, ['source', 'version', 'date', 'records'])),
        },
        ['name', 'version', 'intel'],
        false,
      ),
      host: r.host && sortedJson(r.host),
      targets: r.targets.map((t) => ordered(t, ['path', 'kind'])),
      components: [...r.components]
        .sort(
          byKeys(
            (c) => c.purl,
            (c) => c.locations[0] ?? '',
            (c) => c.foundBy,
          ),
        )
        .map(component),
      findings: [...r.findings].sort(compareFindings).map(finding),
      verdicts: verdicts?.map(verdict),
      binaries:
        r.binaries &&
        [...r.binaries]
          .sort(
            byKeys(
              (b) => b.path,
              (b) => b.format,
              (b) => b.arch ?? '',
            ),
          )
          .map(binary),
      files: r.files && [...r.files].sort(byKeys((f) => f.path)).map(file),
      diff: r.diff && ordered(r.diff, ['old', 'new', 'files', 'components']),
      problems: [...r.problems]
        .sort(
          byKeys(
            (p) => p.path,
            (p) => p.stage,
            (p) => p.message,
          ),
        )
        .map(problem),
      stats: ordered(r.stats, ['files', 'bytes', 'durationMs', 'archives', 'cached', 'suppressed']),
    },
    [
      'schemaVersion',
      'tool',
      'createdAt',
      'host',
      'targets',
      'components',
      'findings',
      'verdicts',
      'binaries',
      'files',
      'diff',
      'problems',
      'stats',
    ],
    false,
  )
}
