import { readFile } from 'node:fs/promises'
import { InputError } from '../core/errors.js'
import { makeFinding } from '../core/finding-id.js'
import { atLeast, maxSeverity, raiseSeverity, severityRank } from '../core/severity.js'
import { type Finding, LAYERS, type Layer, type Report, type Verdict } from '../core/types.js'

export interface ScanReport {
  /** Path of the report file as given. */
  path: string
  report: Report
}

/** Reads host scan reports (`vigil scan --format json`). A file that is not one is an input error. */
export async function loadScanReports(paths: readonly string[]): Promise<ScanReport[]> {
  const out: ScanReport[] = []
  for (const path of paths) {
    let doc: unknown
    try {
      doc = JSON.parse(await readFile(path, 'utf8'))
    } catch (err) {
      throw new InputError(`cannot read scan report: ${(err as Error).message}`, path)
    }
    const r = doc as Partial<Report>
    if (r?.schemaVersion !== 1 || !Array.isArray(r.findings)) {
      throw new InputError('not a Vigil JSON report (schemaVersion 1 with findings)', path)
    }
    out.push({ path, report: r as Report })
  }
  return out
}

/** Source host a network finding is about (from its evidence). */
export function sourceOf(f: Finding): string | undefined {
  for (const e of f.evidence) if (typeof e.src === 'string' && e.src) return e.src
  return undefined
}

/**
 * Which scan report describes a source address: an explicit `ADDR=REPORT` mapping first, then
 * the report's `host.addresses`, then its `host.name`.
 */
export function hostIndex(
  scans: readonly ScanReport[],
  mapping: ReadonlyMap<string, string>,
): (src: string) => ScanReport | undefined {
  const byKey = new Map<string, ScanReport>()
  for (const s of scans) {
    for (const a of s.report.host?.addresses ?? []) byKey.set(a.toLowerCase(), s)
    if (s.report.host?.name) byKey.set(s.report.host.name.toLowerCase(), s)
  }
  for (const [addr, target] of mapping) {
    const s = scans.find((x) => x.path === target || x.report.host?.name === target)
    if (s) byKey.set(addr.toLowerCase(), s)
  }
  return (src) => byKey.get(src.toLowerCase())
}

/** Findings of a scan report that count as another layer agreeing (low or above, not low confidence). */
function scanEvidence(r: Report): Finding[] {
  return r.findings.filter(
    (f) => f.layer !== 'correlation' && atLeast(f.severity, 'low') && f.confidence !== 'low',
  )
}

const hostLabel = (s: ScanReport | undefined, src: string) =>
  s?.report.host?.name ? `${s.report.host.name} (${src})` : src

function contactOf(f: Finding): string {
  const e = f.evidence[0]
  if (!e) return f.title
  if (e.kind === 'ioc-contact') return String((e.indicator as { value?: string })?.value ?? f.title)
  return typeof e.dst === 'string' ? e.dst : f.title
}

/**
 * One verdict per source host from the network findings, joined to that host's scan report when
 * one is given: the verdict names the host, the components scan findings point at, and the
 * contacts. When the network layer and a scan layer both report the host, severity rises one step
 * and a `correlation` finding records which host, component and contact belong together.
 */
export function joinHosts(
  network: readonly Finding[],
  scans: readonly ScanReport[],
  mapping: ReadonlyMap<string, string> = new Map(),
): { verdicts: Verdict[]; findings: Finding[] } {
  const scanOf = hostIndex(scans, mapping)
  const bySrc = new Map<string, Finding[]>()
  for (const f of network) {
    const src = sourceOf(f)
    if (!src || !atLeast(f.severity, 'low')) continue
    const list = bySrc.get(src) ?? []
    list.push(f)
    bySrc.set(src, list)
  }
  const verdicts: Verdict[] = []
  const findings: Finding[] = []
  for (const [src, list] of [...bySrc].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const scan = scanOf(src)
    const agreeing = scan ? scanEvidence(scan.report) : []
    const netAgree = list.filter((f) => f.confidence !== 'low')
    const top = maxSeverity([...list, ...agreeing].map((f) => f.severity))
    const raised = agreeing.length > 0 && netAgree.length > 0
    const severity = raised ? raiseSeverity(top) : top
    const layers = new Set<Layer>(['network', ...agreeing.map((f) => f.layer)])
    const components = [
      ...new Set(agreeing.map((f) => f.component).filter((c): c is string => !!c)),
    ].sort()
    const contacts = [...new Set(list.map(contactOf))].sort()
    const subject = scan?.report.host?.name ?? src
    const reasons = [
      ...list.map((f) => `${f.severity} network: ${f.title}`),
      ...agreeing.map(
        (f) =>
          `${f.severity} ${f.layer}: ${f.title}${f.component ? ` [${f.component}]` : ''} (${scan!.path})`,
      ),
    ]
    verdicts.push({
      subject,
      subjectKind: 'host',
      severity,
      layers: LAYERS.filter((l) => layers.has(l)),
      findingIds: [...list, ...agreeing].map((f) => f.id),
      reasons,
    })
    if (raised)
      findings.push(
        hostFinding(src, subject, scan!, severity, top, list, agreeing, components, contacts),
      )
  }
  verdicts.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || (a.subject < b.subject ? -1 : 1),
  )
  return { verdicts, findings }
}

function hostFinding(
  src: string,
  subject: string,
  scan: ScanReport,
  severity: Finding['severity'],
  from: Finding['severity'],
  network: Finding[],
  agreeing: Finding[],
  components: string[],
  contacts: string[],
): Finding {
  const label = hostLabel(scan, src)
  const what = components.length
    ? components.join(', ')
    : agreeing
        .map((f) => f.title)
        .slice(0, 3)
        .join('; ')
  return makeFinding({
    ruleId: 'net/host-correlation',
    detector: 'net/join-scan',
    layer: 'correlation',
    severity,
    confidence:
      agreeing.some((f) => f.confidence === 'high') && network.some((f) => f.confidence === 'high')
        ? 'high'
        : 'medium',
    title: `Host ${label}: ${what} and network contact with ${contacts.slice(0, 3).join(', ')}`,
    message: `On ${label}, the scan report ${scan.path} finds ${agreeing.length} issue(s) (${what}) and the network logs show ${network.length} finding(s) (${contacts.join(', ')}); severity raised from ${from} to ${severity}.`,
    locations: [...network.flatMap((f) => f.locations.slice(0, 1)), { path: scan.path }],
    ...(components.length === 1 ? { component: components[0] } : {}),
    evidence: [
      {
        kind: 'host-correlation',
        host: subject,
        address: src,
        scanReport: scan.path,
        components,
        contacts,
        networkFindingIds: network.map((f) => f.id),
        scanFindings: agreeing.map((f) => ({
          id: f.id,
          ruleId: f.ruleId,
          layer: f.layer,
          severity: f.severity,
          title: f.title,
          component: f.component ?? null,
        })),
        raisedFrom: from,
      },
    ],
  })
}
