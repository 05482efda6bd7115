/**
 * Go binaries (ELF, PE, Mach-O): the main module, every dependency module (with its `=>`
 * replacement applied) and the Go standard library (`stdlib` at the toolchain version), from
 * the embedded build info. Ecosystem `golang`; purl `pkg:golang/MODULE@VERSION`.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { type BinaryLayout, binaryLayout } from '../binary-layout.js'
import { guarded, mergeByPurl } from '../common.js'
import { purlOf } from '../purl.js'
import {
  type BuildInfoResult,
  findGoBuildInfo,
  findGoBuildInfoIn,
  type GoBuildInfo,
  type GoModule,
} from './buildinfo.js'

const NAME = 'go-module-binary'

function goComponent(
  path: string,
  version: string,
  location: string,
  meta: Record<string, unknown>,
): Component {
  const slash = path.lastIndexOf('/')
  return {
    name: path,
    version,
    ecosystem: 'golang',
    purl: purlOf({
      type: 'golang',
      namespace: slash > 0 ? path.slice(0, slash) : undefined,
      name: slash > 0 ? path.slice(slash + 1) : path,
      version,
    }),
    locations: [location],
    foundBy: NAME,
    metadata: meta,
  }
}

/** `go1.21.5 X:boringcrypto` → `1.21.5`; devel toolchains are left out. */
export function stdlibVersion(goVersion: string): string | undefined {
  const m = /^go(\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?)/.exec(goVersion)
  return m?.[1]
}

function moduleComponent(m: GoModule, location: string, meta: Record<string, unknown>): Component {
  const used = m.replace?.version ? m.replace : m
  const md: Record<string, unknown> = { ...meta }
  if (used.sum) md.sum = used.sum
  if (m.replace) md.replaces = `${m.path}@${m.version}`
  if (m.replace && !m.replace.version) md.replacedByLocalPath = m.replace.path
  return goComponent(used.path, used.version, location, md)
}

export function goBuildInfoComponents(info: GoBuildInfo, location: string): Component[] {
  const base = { goVersion: info.goVersion }
  const out: Component[] = []
  if (info.main?.path) {
    const settings = Object.keys(info.settings).length > 0 ? { settings: info.settings } : {}
    out.push(moduleComponent(info.main, location, { ...base, main: true, ...settings }))
  }
  for (const d of info.deps) if (d.path && d.version) out.push(moduleComponent(d, location, base))
  const std = stdlibVersion(info.goVersion)
  if (std) out.push(goComponent('stdlib', std, location, base))
  if (info.anomalies.length > 0 && out[0])
    out[0].metadata = { ...out[0].metadata, anomalies: info.anomalies }
  return out
}

/**
 * Where `go version -m` looks: the build info section (ELF `.go.buildinfo`, Mach-O
 * `__go_buildinfo` in `__DATA` or `__DATA_CONST`), else the first writable data (PE `.data`, a
 * stripped ELF's or Mach-O's data segment). Undefined when the file could not be laid out.
 */
function buildInfoStart(layout: BinaryLayout | undefined): number | undefined {
  if (!layout) return undefined
  const section = layout.sections.get('.go.buildinfo') ?? layout.sections.get('__go_buildinfo')
  return (section ?? layout.writable)?.offset
}

/**
 * The build info of one binary. Only the window Go's own reader looks at is searched; a binary
 * whose headers could not be parsed (truncated, damaged) is searched whole, as before.
 */
function locate(bytes: Buffer, layout: BinaryLayout | undefined): BuildInfoResult {
  const start = buildInfoStart(layout)
  if (start !== undefined) return findGoBuildInfoIn(bytes, start, layout?.map)
  if (layout && (layout.sections.size > 0 || layout.map)) return { kind: 'none' }
  return findGoBuildInfo(bytes, layout?.map)
}

async function catalogGo(a: Artifact, ctx: ArtifactContext): Promise<Component[]> {
  const layout = await binaryLayout(a)
  const r = locate(await a.bytes(), layout)
  if (r.kind === 'needs-map') {
    ctx.problem({
      stage: `catalog:${NAME}`,
      path: a.path,
      message: `pre-Go 1.18 build info at offset ${r.offset} could not be followed (no address map for this format)`,
      level: 'warning',
    })
    return []
  }
  return r.kind === 'found' ? goBuildInfoComponents(r.info, a.path) : []
}

export const goBinaryCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    a.type === 'elf' || a.type === 'pe' || a.type === 'macho' || a.type === 'macho-fat',
  catalog: (a: Artifact, ctx: ArtifactContext) => guarded(NAME, a, ctx, () => catalogGo(a, ctx)),
  finish: async (components) => mergeByPurl(components),
}
