/**
 * .NET applications' `*.deps.json` (written by the SDK beside every framework-dependent or
 * self-contained app): `libraries` maps `Name/Version` to `{ type: "package" | "project" |
 * "reference" | "runtimepack", sha512?, path? }`. NuGet packages (`package`, `runtimepack`) are
 * components, `pkg:nuget/Name@Version`, ecosystem `nuget`; the app's own projects and framework
 * references are not.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { purlOf } from '../purl.js'

const NAME = 'dotnet-deps-json'
const PACKAGE_TYPES = new Set(['package', 'runtimepack'])

export function parseDepsJson(text: string, location: string): Component[] {
  const doc: unknown = JSON.parse(text)
  if (!isRecord(doc) || !isRecord(doc.libraries)) return []
  const out: Component[] = []
  for (const [key, lib] of Object.entries(doc.libraries)) {
    if (!isRecord(lib) || !PACKAGE_TYPES.has(String(lib.type))) continue
    const slash = key.lastIndexOf('/')
    const name = key.slice(0, slash)
    const version = key.slice(slash + 1)
    if (slash <= 0 || !version) continue
    const meta: Record<string, unknown> = { type: lib.type }
    const sha512 = str(lib.sha512)
    if (sha512) meta.sha512 = sha512
    out.push({
      name,
      version,
      ecosystem: 'nuget',
      purl: purlOf({ type: 'nuget', name, version }),
      locations: [location],
      foundBy: NAME,
      metadata: meta,
    })
  }
  return out
}

export const depsJsonCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name.endsWith('.deps.json'),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseDepsJson(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
