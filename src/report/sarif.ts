import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Finding, Location, Problem, Report, Severity } from '../core/types.js'
import { correlate } from '../correlate/correlate.js'
import { canonicalReport, compareFindings, sortedJson } from './canonical.js'

/**
 * SARIF 2.1.0 (OASIS), one run. The mapping is documented in docs/report-format.md:
 * - rules: one per ruleId, default level from its worst finding, helpUri from the first reference
 *   that is an absolute http(s) URL, `security-severity` for code-scanning UIs;
 * - results: level from severity, message, one location per report location,
 *   `partialFingerprints['vigilFindingId/v1']` = finding id, the rest in properties;
 * - an archive member `outer!/inner` points at the file on disk (`outer`, relative URI under
 *   uriBaseId TARGET); the member path is in the location's message and `properties.member`, and
 *   offsets (which are inside the member) are in properties, not in a region of the outer file;
 * - problems are toolExecutionNotifications of the one invocation; verdicts and stats are in
 *   run.properties.
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'

type Level = 'error' | 'warning' | 'note'
type Json = Record<string, unknown>

export function sarifLevel(s: Severity): Level {
  if (s === 'critical' || s === 'high') return 'error'
  return s === 'medium' ? 'warning' : 'note'
}

/** GitHub code scanning reads this 0.0–10.0 score from rule properties. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
}

/** Replaces lone surrogates (from non-UTF-8 file names) so the string can be URI-encoded. */
function wellFormed(s: string): string {
  return s.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  )
}

/** A report path as a relative URI reference: each segment percent-encoded (`:` and `#` too). */
export function relativeUri(path: string): string {
  return wellFormed(path)
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/')
}

/** `outer!/a!/b` → outer file on disk and the member path chain inside it. */
export function splitMember(path: string): { file: string; member?: string } {
  const i = path.indexOf('!/')
  if (i < 0) return { file: path }
  return { file: path.slice(0, i), member: path.slice(i + 2) }
}

function physicalLocation(loc: Location): Json {
  const { file, member } = splitMember(loc.path)
  const region: Json = {}
  if (member === undefined) {
    if (loc.line !== undefined) region.startLine = loc.line
    if (loc.offset !== undefined) region.byteOffset = loc.offset
    if (loc.offset !== undefined && loc.length !== undefined) region.byteLength = loc.length
  }
  return {
    artifactLocation: { uri: relativeUri(file), uriBaseId: 'TARGET' },
    ...(Object.keys(region).length > 0 ? { region } : {}),
  }
}

function location(loc: Location): Json {
  const { member } = splitMember(loc.path)
  if (member === undefined) return { physicalLocation: physicalLocation(loc) }
  return {
    physicalLocation: physicalLocation(loc),
    message: { text: `archive member ${member}` },
    properties: sortedJson({
      path: loc.path,
      member,
      offset: loc.offset,
      length: loc.length,
      line: loc.line,
    }) as Json,
  }
}

function helpUri(refs: readonly string[] | undefined): string | undefined {
  return refs?.find((r) => /^https?:\/\/[^\s]+$/i.test(r))
}

function rules(findings: readonly Finding[]): { rules: Json[]; index: Map<string, number> } {
  const first = new Map<string, Finding>() // findings come worst first
  const help = new Map<string, string>()
  for (const f of findings) {
    if (!first.has(f.ruleId)) first.set(f.ruleId, f)
    const uri = help.has(f.ruleId) ? undefined : helpUri(f.references)
    if (uri) help.set(f.ruleId, uri)
  }
  const ids = [...first.keys()].sort()
  const out = ids.map((id) => {
    const f = first.get(id)!
    const uri = help.get(id)
    return {
      id,
      shortDescription: { text: f.title },
      ...(uri ? { helpUri: uri } : {}),
      defaultConfiguration: { level: sarifLevel(f.severity) },
      properties: {
        layer: f.layer,
        detector: f.detector,
        tags: ['security', 'supply-chain', f.layer],
        'security-severity': SECURITY_SEVERITY[f.severity],
      },
    }
  })
  return { rules: out, index: new Map(ids.map((id, i) => [id, i])) }
}

/** Physical locations, each also naming the component (a package logical location) when known. */
function locationsOf(f: Finding): { locations?: Json[] } {
  const pkg = f.component ? [{ fullyQualifiedName: f.component, kind: 'package' }] : undefined
  const locs: Json[] = f.locations.map((l) =>
    pkg ? { ...location(l), logicalLocations: pkg } : location(l),
  )
  if (locs.length === 0 && pkg) locs.push({ logicalLocations: pkg })
  return locs.length > 0 ? { locations: locs } : {}
}

function result(f: Finding, ruleIndex: number): Json {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    kind: 'fail',
    level: sarifLevel(f.severity),
    message: { text: f.message },
    ...locationsOf(f),
    partialFingerprints: { 'vigilFindingId/v1': f.id },
    properties: sortedJson({
      title: f.title,
      layer: f.layer,
      severity: f.severity,
      confidence: f.confidence,
      detector: f.detector,
      component: f.component,
      evidence: f.evidence,
      remediation: f.remediation,
      references: f.references,
      context: f.context,
      'security-severity': SECURITY_SEVERITY[f.severity],
    }) as Json,
  }
}

function notification(p: Problem): Json {
  return {
    level: p.level === 'warning' ? 'warning' : 'error',
    message: { text: `${p.stage}: ${p.message}` },
    ...(p.path ? { locations: [location({ path: p.path })] } : {}),
    descriptor: { id: p.stage },
  }
}

function targetBase(report: Report): Json {
  const t = report.targets.length === 1 ? report.targets[0] : undefined
  const description = {
    text: `The scan target${report.targets.length === 1 ? '' : 's'}: ${report.targets.map((x) => x.path).join(', ')}`,
  }
  if (t && isAbsolute(t.path) && t.kind === 'dir') {
    let uri = pathToFileURL(t.path).href
    if (!uri.endsWith('/')) uri += '/'
    return { TARGET: { uri, description } }
  }
  return { TARGET: { description } }
}

/** The report as a SARIF 2.1.0 log. */
export function sarifReport(report: Report): string {
  const findings = [...report.findings].sort(compareFindings)
  const { rules: ruleList, index } = rules(findings)
  const verdicts = report.verdicts ?? correlate(report.findings, report.components)
  const canonical = canonicalReport({ ...report, verdicts })
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vigil',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: ruleList,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (canonical.problems as Problem[]).map(notification),
          },
        ],
        originalUriBaseIds: targetBase(report),
        results: findings.map((f) => result(f, index.get(f.ruleId)!)),
        properties: {
          targets: canonical.targets,
          intel: (canonical.tool as Json).intel,
          verdicts: canonical.verdicts,
          stats: canonical.stats,
          ...(canonical.diff ? { diff: canonical.diff } : {}),
        },
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
