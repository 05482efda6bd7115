/** `poetry.lock` (TOML): every `[[package]]` with a name and version. */
import { parse as parseToml } from 'smol-toml'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, isRecord, mergeByPurl, readText, str } from '../common.js'
import { pypiComponent } from './pypi-component.js'

const NAME = 'python-poetry-lock'

export function parsePoetryLock(text: string, location: string): Component[] {
  const doc = parseToml(text)
  const packages = Array.isArray(doc.package) ? doc.package : []
  const out: Component[] = []
  for (const p of packages) {
    if (!isRecord(p)) continue
    const name = str(p.name)
    const version = str(p.version)
    if (!name || !version) continue
    const meta: Record<string, unknown> = {}
    const category = str(p.category)
    if (category) meta.category = category
    if (Array.isArray(p.groups)) meta.groups = p.groups.filter((g) => typeof g === 'string')
    if (p.optional === true) meta.optional = true
    if (isRecord(p.source) && str(p.source.type)) meta.sourceType = str(p.source.type)
    out.push(pypiComponent(name, version, location, NAME, meta))
  }
  return out
}

export const poetryLockCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'poetry.lock',
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parsePoetryLock(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
