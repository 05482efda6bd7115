import { createHash } from 'node:crypto'
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library'
import type { Component, Finding, Report } from '../core/types.js'

/**
 * CycloneDX 1.6 JSON through `@cyclonedx/cyclonedx-library`: one component per distinct purl
 * (every location kept as a `vigil:location` property) and, when the report has advisory
 * findings, one VEX `vulnerabilities[]` entry per finding with `affects` refs to the component,
 * the `analysis` state and the `recommendation`. Deterministic: no random serial number, sorted
 * lists, the report's own timestamp.
 */

/** What an SBOM needs of a report: `vigil sbom` passes a report with no findings. */
export type SbomInput = Pick<Report, 'components' | 'tool' | 'targets'> &
  Partial<Pick<Report, 'findings' | 'createdAt'>>

const APP_ECOSYSTEMS = new Set(['windows-app', 'macos-app', 'electron'])

/** One SBOM entry: the components with one purl, every place and every cataloger kept. */
export interface SbomComponent extends Component {
  catalogers: string[]
  ecosystems: string[]
}

function order(c: Component): string {
  return `${c.purl}\0${c.foundBy}\0${c.ecosystem}\0${c.locations.join('\0')}`
}

/**
 * Components grouped by purl (the same package found in several places, or by two catalogers,
 * is one entry). The fields of the first in a fixed order win, so the output does not depend on
 * the input order; locations, catalogers and ecosystems are unions.
 */
export function uniqueByPurl(components: readonly Component[]): SbomComponent[] {
  const by = new Map<string, SbomComponent>()
  const sorted = [...components].sort((a, b) =>
    order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0,
  )
  for (const c of sorted) {
    const seen = by.get(c.purl)
    if (!seen) {
      by.set(c.purl, {
        ...c,
        locations: [...c.locations],
        catalogers: [c.foundBy],
        ecosystems: [c.ecosystem],
      })
      continue
    }
    seen.locations = [...new Set([...seen.locations, ...c.locations])]
    if (!seen.catalogers.includes(c.foundBy)) seen.catalogers.push(c.foundBy)
    if (!seen.ecosystems.includes(c.ecosystem)) seen.ecosystems.push(c.ecosystem)
  }
  const out = [...by.values()]
  for (const c of out) {
    c.locations.sort()
    c.catalogers.sort()
    c.ecosystems.sort()
  }
  return out
}

function cdxComponent(c: SbomComponent): Models.Component {
  const type = c.ecosystems.some((e) => APP_ECOSYSTEMS.has(e))
    ? Enums.ComponentType.Application
    : Enums.ComponentType.Library
  const props = new Models.PropertyRepository([
    ...c.ecosystems.map((e) => new Models.Property('vigil:ecosystem', e)),
    ...c.catalogers.map((f) => new Models.Property('vigil:foundBy', f)),
    ...c.locations.map((l) => new Models.Property('vigil:location', l)),
  ])
  if (c.vendor) props.add(new Models.Property('vigil:vendor', c.vendor))
  if (c.product) props.add(new Models.Property('vigil:product', c.product))
  const platform = c.metadata?.platform
  if (typeof platform === 'string') props.add(new Models.Property('vigil:platform', platform))
  const publisher = c.metadata?.companyName ?? c.metadata?.company
  return new Models.Component(type, c.name, {
    bomRef: c.purl,
    version: c.version,
    purl: c.purl,
    properties: props,
    ...(typeof publisher === 'string' && publisher ? { publisher } : {}),
  })
}

const SEVERITY: Record<Finding['severity'], Enums.Vulnerability.Severity> = {
  critical: Enums.Vulnerability.Severity.Critical,
  high: Enums.Vulnerability.Severity.High,
  medium: Enums.Vulnerability.Severity.Medium,
  low: Enums.Vulnerability.Severity.Low,
  info: Enums.Vulnerability.Severity.Info,
}

/** Where a vulnerability id is documented: GHSA, CVE, Vigil's own pack, else OSV.dev. */
function sourceOf(id: string): Models.Vulnerability.Source {
  const Source = Models.Vulnerability.Source
  if (id.startsWith('GHSA-')) {
    return new Source({
      name: 'GitHub Advisory Database',
      url: `https://github.com/advisories/${id}`,
    })
  }
  if (id.startsWith('CVE-')) {
    return new Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` })
  }
  if (id.startsWith('VIGIL-')) return new Source({ name: 'Vigil intel pack' })
  return new Source({ name: 'OSV', url: `https://osv.dev/vulnerability/${id}` })
}

function idsOf(f: Finding): string[] {
  const ids = new Set<string>()
  for (const e of f.evidence) if (typeof e.id === 'string') ids.add(e.id)
  const primary = f.ruleId.replace(/^advisory\//, '')
  ids.add(primary)
  return [primary, ...[...ids].filter((x) => x !== primary).sort()]
}

function affectOf(target: Models.Component): Models.Vulnerability.Affect {
  const version = target.version
  const status = Enums.Vulnerability.AffectStatus.Affected
  return new Models.Vulnerability.Affect(target.bomRef, {
    versions: new Models.Vulnerability.AffectedVersionRepository(
      version ? [new Models.Vulnerability.AffectedSingleVersion(version, { status })] : [],
    ),
  })
}

/**
 * One VEX entry per vulnerability: the findings of one advisory rule (the same vulnerability in
 * several components or places) share it, each affected component listed once.
 */
function cdxVulnerability(
  group: Finding[],
  refs: Map<string, Models.Component>,
): Models.Vulnerability.Vulnerability | undefined {
  const targets = [...new Set(group.flatMap((g) => (g.component && refs.get(g.component)) || []))]
  const f = group[0]
  if (!f || targets.length === 0) return undefined
  const [id, ...aliases] = [...new Set(group.flatMap(idsOf))]
  const affects = new Models.Vulnerability.AffectRepository(targets.map(affectOf))
  const response = new Enums.Vulnerability.AnalysisResponseRepository()
  if (f.remediation?.fixedVersion) response.add(Enums.Vulnerability.AnalysisResponse.Update)
  const analysis = new Models.Vulnerability.Analysis({
    state: Enums.Vulnerability.AnalysisState.Exploitable,
    response,
    detail: `Matched by version (${f.detector}); the installed version is in the advisory's affected set. Reachability was not analysed.`,
  })
  const advisories = new Models.Vulnerability.AdvisoryRepository(
    (f.references ?? []).filter(isUrl).map((u) => new Models.Vulnerability.Advisory(u)),
  )
  return new Models.Vulnerability.Vulnerability({
    bomRef: `vuln:${f.ruleId}`,
    id,
    source: sourceOf(id!),
    references: new Models.Vulnerability.ReferenceRepository(
      aliases.map((a) => new Models.Vulnerability.Reference(a, sourceOf(a))),
    ),
    ratings: new Models.Vulnerability.RatingRepository([
      new Models.Vulnerability.Rating({
        severity: SEVERITY[f.severity],
        method: Enums.Vulnerability.RatingMethod.Other,
        source: new Models.Vulnerability.Source({ name: 'vigil' }),
      }),
    ]),
    description: f.title,
    detail: f.message,
    ...(f.remediation ? { recommendation: f.remediation.summary } : {}),
    advisories,
    analysis,
    affects,
  })
}

function byRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>()
  for (const f of findings) {
    if (f.layer !== 'advisory') continue
    const list = out.get(f.ruleId)
    if (list) list.push(f)
    else out.set(f.ruleId, [f])
  }
  return out
}

function isUrl(s: string): boolean {
  return /^https?:\/\/\S+$/.test(s)
}

/** A stable `urn:uuid:` from the document's content, so equal inputs give equal BOMs. */
function serialOf(input: SbomInput): string {
  const h = createHash('sha256')
  for (const c of uniqueByPurl(input.components)) h.update(`${c.purl}\0${c.locations.join('\0')}\n`)
  for (const id of (input.findings ?? []).map((f) => f.id).sort()) h.update(`${id}\n`)
  const x = h.digest('hex')
  const variant = ((Number.parseInt(x[16]!, 16) & 0x3) | 0x8).toString(16)
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`
}

export function cyclonedxBom(input: SbomInput): Models.Bom {
  const components = uniqueByPurl(input.components).map(cdxComponent)
  const refs = new Map(components.map((c) => [c.purl ?? '', c]))
  const vulns = [...byRule(input.findings ?? []).values()].flatMap(
    (g) => cdxVulnerability(g, refs) ?? [],
  )
  const tool = new Models.Component(Enums.ComponentType.Application, input.tool.name, {
    version: input.tool.version,
  })
  const metadata = new Models.Metadata({
    tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
    ...(input.createdAt ? { timestamp: new Date(input.createdAt) } : {}),
  })
  return new Models.Bom({
    metadata,
    components: new Models.ComponentRepository(components),
    vulnerabilities: new Models.Vulnerability.VulnerabilityRepository(vulns),
    serialNumber: serialOf(input),
  })
}

const serializer = new Serialize.JsonSerializer(
  new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6),
)

/** CycloneDX 1.6 JSON text of the inventory (and advisory findings as VEX). */
export function cyclonedxReport(input: SbomInput): string {
  return `${serializer.serialize(cyclonedxBom(input), { sortLists: true, space: 2 })}\n`
}
