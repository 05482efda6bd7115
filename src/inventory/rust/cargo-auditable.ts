/**
 * Rust binaries built with `cargo auditable`: the `.dep-v0` section (ELF, PE; `__DATA,.dep-v0`
 * in Mach-O) holds zlib-compressed JSON `{"packages": [{name, version, source, kind?,
 * dependencies?, root?}]}`. Every package is a component (`pkg:cargo/NAME@VERSION`, ecosystem
 * `cargo`), with its source (crates.io, git, local, registry), kind (runtime/build) and whether
 * it is the root crate in metadata. Inflation is capped (zip-bomb safe).
 */
import { inflateSync } from 'node:zlib'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { binaryLayout } from '../binary-layout.js'
import { guarded, isRecord, mergeByPurl, str } from '../common.js'
import { purlOf } from '../purl.js'

const NAME = 'rust-cargo-auditable'
const SECTION_NAMES = ['.dep-v0', '__DATA,.dep-v0']
const MAX_JSON_BYTES = 16 << 20

export function parseAuditableJson(json: string, location: string): Component[] {
  const doc: unknown = JSON.parse(json)
  if (!isRecord(doc) || !Array.isArray(doc.packages))
    throw new Error('no "packages" array in .dep-v0')
  const out: Component[] = []
  for (const p of doc.packages) {
    if (!isRecord(p)) continue
    const name = str(p.name)
    const version = str(p.version)
    if (!name || !version) continue
    const meta: Record<string, unknown> = {
      source: str(p.source) ?? 'unknown',
      kind: str(p.kind) ?? 'runtime',
    }
    if (p.root === true) meta.root = true
    out.push({
      name,
      version,
      ecosystem: 'cargo',
      purl: purlOf({ type: 'cargo', name, version }),
      locations: [location],
      foundBy: NAME,
      metadata: meta,
    })
  }
  return out
}

export function inflateDepV0(compressed: Buffer): string {
  return inflateSync(compressed, { maxOutputLength: MAX_JSON_BYTES }).toString('utf8')
}

async function catalogRust(a: Artifact): Promise<Component[]> {
  const layout = await binaryLayout(a)
  const range = SECTION_NAMES.map((n) => layout?.sections.get(n)).find((r) => r && r.size > 0)
  if (!range) return []
  const bytes = await a.bytes()
  if (range.offset + range.size > bytes.length)
    throw new Error('.dep-v0 section runs past the end of the file')
  // Sections may be padded after the zlib stream; inflate stops at the stream's end.
  return parseAuditableJson(
    inflateDepV0(bytes.subarray(range.offset, range.offset + range.size)),
    a.path,
  )
}

export const cargoAuditableCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    a.type === 'elf' || a.type === 'pe' || a.type === 'macho' || a.type === 'macho-fat',
  catalog: (a: Artifact, ctx: ArtifactContext) => guarded(NAME, a, ctx, () => catalogRust(a)),
  finish: async (components) => mergeByPurl(components),
}
