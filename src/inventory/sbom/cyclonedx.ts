/**
 * CycloneDX SBOMs as scan input, JSON (`bomFormat: "CycloneDX"`) and XML (`<bom xmlns=
 * "http://cyclonedx.org/schema/bom/…">`): `metadata.component` (the subject, role `subject`)
 * and every entry of `components`, nested ones included (depth-capped). Entries without a
 * version are skipped. Files whose content is not CycloneDX yield nothing.
 */
import { XMLParser } from 'fast-xml-parser'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { isSbomName, type SbomEntry, sbomComponent } from './sbom-component.js'

const NAME = 'sbom-cyclonedx'
const MAX_DEPTH = 32

/**
 * XML text with the predefined and numeric character references decoded (the parser runs with
 * entity processing off, so no DOCTYPE entity is ever expanded).
 */
export function xmlText(v: unknown): string | undefined {
  const s = str(v)
  if (s === undefined || !s.includes('&')) return s
  return s.replace(/&(lt|gt|quot|apos|amp|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (_, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10)
      return n <= 0x10ffff ? String.fromCodePoint(n) : ''
    }
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[e] ?? ''
  })
}

function entry(c: Record<string, unknown>, role?: 'subject'): SbomEntry | undefined {
  const str = xmlText
  const name = str(c.name)
  const version = str(c.version)
  if (!name || !version) return undefined
  const e: SbomEntry = { name, version }
  const group = str(c.group)
  if (group) e.group = group
  const purl = str(c.purl)
  if (purl) e.purl = purl
  const ref = str(c['bom-ref'] ?? c['@_bom-ref'])
  if (ref) e.ref = ref
  const type = str(c.type ?? c['@_type'])
  if (type) e.type = type
  if (role) e.role = role
  return e
}

/** `components` as JSON gives it (an array) or as XML gives it (`{component: [...]}`). */
function childList(v: unknown): Record<string, unknown>[] {
  const list = Array.isArray(v) ? v : isRecord(v) ? v.component : undefined
  const arr = Array.isArray(list) ? list : list === undefined ? [] : [list]
  return arr.filter(isRecord)
}

function walk(list: Record<string, unknown>[], depth: number, out: SbomEntry[]): void {
  if (depth > MAX_DEPTH) throw new Error(`components nested deeper than ${MAX_DEPTH}`)
  for (const c of list) {
    const e = entry(c)
    if (e) out.push(e)
    walk(childList(c.components), depth + 1, out)
  }
}

function entriesOf(bom: Record<string, unknown>): SbomEntry[] {
  const out: SbomEntry[] = []
  const meta = isRecord(bom.metadata) ? bom.metadata : {}
  const [subjectNode] = childList({ component: meta.component })
  if (subjectNode) {
    const subject = entry(subjectNode, 'subject')
    if (subject) out.push(subject)
  }
  walk(childList(bom.components), 0, out)
  return out
}

const xml = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  isArray: (name) => name === 'component',
  processEntities: false,
  parseTagValue: false,
})

const CDX_NAMESPACE =
  /<(?:\w+:)?bom\b[^>]*\bxmlns(?::\w+)?=["']http:\/\/cyclonedx\.org\/schema\/bom\//

export function parseCycloneDx(text: string, location: string): Component[] {
  const trimmed = text.trimStart()
  let bom: Record<string, unknown> | undefined
  if (trimmed.startsWith('{')) {
    const doc: unknown = JSON.parse(text)
    if (isRecord(doc) && doc.bomFormat === 'CycloneDX') bom = doc
  } else if (trimmed.startsWith('<') && CDX_NAMESPACE.test(text.slice(0, 4096))) {
    // The namespace is checked on the text: the parser drops xmlns attributes.
    const doc: unknown = xml.parse(text)
    const root = isRecord(doc) ? doc.bom : undefined
    if (isRecord(root)) bom = root
  }
  return bom ? cycloneDxComponents(bom, location) : []
}

/** Components of a parsed CycloneDX document (JSON or XML shape; any value checked). */
export function cycloneDxComponents(bom: Record<string, unknown>, location: string): Component[] {
  return entriesOf(bom).map((e) => sbomComponent(e, location, NAME))
}

export const cycloneDxCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => isSbomName(a.name),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseCycloneDx(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
