/**
 * `uv.lock` (TOML): every `[[package]]` with a name and version, except the project itself and
 * other local sources (`source = { editable | virtual = … }`), which are not installed releases.
 */
import { parse as parseToml } from 'smol-toml'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { pypiComponent } from './pypi-component.js'

const NAME = 'python-uv-lock'

export function parseUvLock(text: string, location: string): Component[] {
  const doc = parseToml(text)
  const packages = Array.isArray(doc.package) ? doc.package : []
  const out: Component[] = []
  for (const p of packages) {
    if (!isRecord(p)) continue
    const name = str(p.name)
    const version = str(p.version)
    const source = isRecord(p.source) ? p.source : {}
    if (!name || !version || 'editable' in source || 'virtual' in source) continue
    const meta: Record<string, unknown> = {}
    const registry = str(source.registry)
    if (registry) meta.registry = registry
    const git = str(source.git)
    if (git) meta.git = git
    out.push(pypiComponent(name, version, location, NAME, meta))
  }
  return out
}

export const uvLockCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'uv.lock',
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseUvLock(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
