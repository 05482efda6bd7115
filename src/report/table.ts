import { maxSeverity } from '../core/severity.js'
import {
  type Component,
  type Finding,
  type Problem,
  type Report,
  SEVERITIES,
  type Severity,
  type Verdict,
} from '../core/types.js'
import { correlate } from '../correlate/correlate.js'
import { HOST_SUBJECT } from '../correlate/subject.js'
import { compareFindings } from './canonical.js'
import {
  formatBytes,
  formatCount,
  formatDuration,
  plural,
  printable,
  shortenMiddle,
  truncateEnd,
  width,
} from './text.js'

export interface TableOptions {
  /** ANSI colour (the caller decides: a TTY and no NO_COLOR). */
  color?: boolean
  /** Columns per line; every line fits. Default 100. */
  width?: number
}

/** Problems shown in the footer; the rest are counted (the JSON report lists all). */
const MAX_PROBLEMS = 10

const SGR: Record<Severity, string> = {
  critical: '1;35',
  high: '1;31',
  medium: '33',
  low: '36',
  info: '2',
}

type Paint = (code: string, s: string) => string

function painter(color: boolean): Paint {
  return color ? (code, s) => `\u001b[${code}m${s}\u001b[0m` : (_code, s) => s
}

/**
 * The subject, then its layers right-aligned on the same line when both fit, else the layers on a
 * line of their own (the subject keeps the room, shortened in the middle only when it alone is
 * too long).
 */
function verdictHeader(
  v: Verdict,
  label: string,
  members: Finding[],
  cols: number,
  paint: Paint,
): string[] {
  const from = maxSeverity(members.map((f) => f.severity))
  const raised = v.severity !== from ? `, raised from ${from}` : ''
  const tag = `[${v.layers.join(' + ')}${raised}]`
  const subject = shortenMiddle(printable(label), cols - 2)
  const gap = cols - 2 - width(subject) - width(tag)
  if (gap >= 2) return [`  ${paint('1', subject)}${' '.repeat(gap)}${paint('2', tag)}`]
  return [`  ${paint('1', subject)}`, `    ${paint('2', truncateEnd(tag, cols - 4))}`]
}

function findingLine(f: Finding, subject: string, cols: number, paint: Paint): string {
  const lead = `    ${f.severity.padEnd(8)} ${f.layer.padEnd(10)} `
  const room = cols - lead.length
  const path = f.locations[0]?.path
  const title = printable(f.title)
  let text = truncateEnd(title, room)
  if (path !== undefined && path !== subject) {
    const p = shortenMiddle(printable(path), Math.max(12, Math.floor(room * 0.55)))
    text = `${p}  ${truncateEnd(title, Math.max(1, room - width(p) - 2))}`
  }
  return `    ${paint(SGR[f.severity], f.severity.padEnd(8))} ${f.layer.padEnd(10)} ${text}`
}

function remediationLines(members: Finding[], cols: number): string[] {
  const fixes = [...new Set(members.flatMap((f) => (f.remediation ? [f.remediation.summary] : [])))]
  return fixes.map((s) => truncateEnd(`      fix: ${printable(s)}`, cols))
}

/** What a verdict is about, for people: `3CX Desktop App 18.12.416 (pkg:…)`, a path, the host. */
function subjectLabel(v: Verdict, report: Report, components: Map<string, Component>): string {
  if (v.subjectKind === 'host' && v.subject !== HOST_SUBJECT.key) return `host ${v.subject}`
  if (v.subjectKind === 'host') return report.host?.name ? `host ${report.host.name}` : 'this host'
  const c = v.subjectKind === 'component' ? components.get(v.subject) : undefined
  return c ? `${c.name} ${c.version} (${c.purl})` : v.subject
}

function verdictBlock(
  v: Verdict,
  label: string,
  byId: Map<string, Finding>,
  cols: number,
  paint: Paint,
): string[] {
  const members = v.findingIds
    .map((id) => byId.get(id))
    .filter((f) => f !== undefined)
    .sort(compareFindings)
  return [
    ...verdictHeader(v, label, members, cols, paint),
    ...members.map((f) => findingLine(f, v.subject, cols, paint)),
    ...remediationLines(members, cols),
  ]
}

function findingsBody(report: Report, verdicts: Verdict[], cols: number, paint: Paint): string[] {
  const real = report.findings.filter((f) => f.layer !== 'correlation')
  if (real.length === 0) return ['No findings.']
  const byId = new Map(real.map((f) => [f.id, f]))
  const components = new Map(report.components.map((c) => [c.purl, c]))
  const lines: string[] = []
  for (const sev of SEVERITIES) {
    const group = verdicts.filter((v) => v.severity === sev)
    if (group.length === 0) continue
    if (lines.length > 0) lines.push('')
    lines.push(paint(SGR[sev], `${sev.toUpperCase()} (${group.length})`))
    for (const v of group) {
      lines.push(...verdictBlock(v, subjectLabel(v, report, components), byId, cols, paint))
    }
  }
  const listed = new Set(verdicts.flatMap((v) => v.findingIds))
  const loose = real.filter((f) => !listed.has(f.id)).sort(compareFindings)
  if (loose.length > 0) {
    lines.push('', 'OTHER FINDINGS')
    for (const f of loose) lines.push(findingLine(f, '', cols, paint))
  }
  return lines
}

function verdictCounts(verdicts: readonly Verdict[], paint: Paint): string {
  const parts = SEVERITIES.map((s) => {
    const n = verdicts.filter((v) => v.severity === s).length
    const text = `${formatCount(n)} ${s}`
    return n > 0 ? paint(SGR[s], text) : text
  })
  return `verdicts: ${parts.join(' · ')}`
}

function findingCounts(report: Report): string {
  const derived = report.findings.filter((f) => f.layer === 'correlation').length
  const extra = derived > 0 ? ` (+${formatCount(derived)} correlation)` : ''
  return [
    `findings: ${formatCount(report.findings.length - derived)}${extra}`,
    `${formatCount(report.stats.suppressed ?? 0)} suppressed`,
    plural(report.problems.length, 'problem'),
  ].join(' · ')
}

function problemLine(p: Problem, cols: number): string {
  const lead = `  ${(p.level ?? 'error').padEnd(8)} ${p.stage.padEnd(12)} `
  const room = cols - lead.length
  const path = shortenMiddle(printable(p.path), Math.max(12, Math.floor(room * 0.5)))
  return `${lead}${path}: ${truncateEnd(printable(p.message), Math.max(1, room - width(path) - 2))}`
}

/** For `vigil diff` reports: what changed between the releases. */
function diffLines(report: Report, cols: number): string[] {
  const d = report.diff
  if (!d) return []
  const f = d.files
  const c = d.components
  return [
    `diff: ${printable(d.old)} → ${printable(d.new)}`,
    `  files: ${f.added.length} added · ${f.removed.length} removed · ${f.changed.length} changed · ${f.moved.length} moved · ${formatCount(f.unchanged)} unchanged`,
    `  components: ${c.changed.length} changed · ${c.added.length} added · ${c.removed.length} removed · ${formatCount(c.unchanged)} unchanged`,
  ].map((l) => truncateEnd(l, cols))
}

function footer(report: Report, verdicts: Verdict[], cols: number, paint: Paint): string[] {
  const st = report.stats
  const lines = [
    '─'.repeat(Math.min(cols, 60)),
    verdictCounts(verdicts, paint),
    findingCounts(report),
    `scanned: ${plural(st.files, 'file')} · ${formatBytes(st.bytes)} in ${formatDuration(st.durationMs)}`,
    ...diffLines(report, cols),
  ]
  if (report.problems.length > 0) {
    const sorted = [...report.problems].sort((a, b) =>
      a.level === b.level ? (a.path < b.path ? -1 : 1) : a.level === 'warning' ? 1 : -1,
    )
    lines.push('problems:')
    for (const p of sorted.slice(0, MAX_PROBLEMS)) lines.push(problemLine(p, cols))
    const more = sorted.length - MAX_PROBLEMS
    if (more > 0) lines.push(`  … and ${formatCount(more)} more (the JSON report lists all)`)
  }
  return lines
}

/**
 * The human report: verdicts grouped by severity, worst first, each with one line per finding
 * (severity, layer, path when it differs from the subject, title) and its fix; then a footer with
 * counts, size, time, problems and suppressions. Every line fits `width` columns.
 */
export function tableReport(report: Report, opts: TableOptions = {}): string {
  const cols = Math.max(60, opts.width ?? 100)
  const paint = painter(opts.color ?? false)
  const real = report.findings.filter((f) => f.layer !== 'correlation')
  const verdicts = report.verdicts ?? correlate(real, report.components)
  const lines = [
    ...findingsBody(report, verdicts, cols, paint),
    '',
    ...footer(report, verdicts, cols, paint),
  ]
  return `${lines.join('\n')}\n`
}
