/**
 * npm `package-lock.json` / `npm-shrinkwrap.json`, lockfile versions 1, 2 and 3.
 * v2/v3: the `packages` map (keys are install paths); v1: the nested `dependencies` tree.
 * Skipped: the root project (`""`), symlink entries (`link: true`, their targets are listed
 * separately) and workspace folders outside node_modules.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, insideNodeModules, isRecord, mergeByPurl, readText, str } from '../common.js'
import { nameFromNodeModulesPath, npmComponent } from './npm-component.js'

const NAME = 'npm-package-lock'
const MAX_V1_DEPTH = 256

export function parsePackageLock(text: string, location: string): Component[] {
  const doc: unknown = JSON.parse(text)
  if (!isRecord(doc)) throw new Error('package-lock.json is not a JSON object')
  if (isRecord(doc.packages)) return fromPackages(doc.packages, location)
  if (isRecord(doc.dependencies)) return fromV1(doc.dependencies, location, 0)
  return []
}

function flags(e: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = {}
  if (e.dev === true) m.dev = true
  if (e.optional === true) m.optional = true
  if (e.devOptional === true) m.devOptional = true
  const resolved = str(e.resolved)
  if (resolved) m.resolved = resolved
  const integrity = str(e.integrity)
  if (integrity) m.integrity = integrity
  return m
}

function fromPackages(packages: Record<string, unknown>, location: string): Component[] {
  const out: Component[] = []
  for (const [key, e] of Object.entries(packages)) {
    if (key === '' || !isRecord(e) || e.link === true) continue
    const name = str(e.name) ?? nameFromNodeModulesPath(key)
    const version = str(e.version)
    if (!name || !version || !key.includes('node_modules/')) continue
    out.push(npmComponent(name, version, location, NAME, flags(e)))
  }
  return out
}

function fromV1(deps: Record<string, unknown>, location: string, depth: number): Component[] {
  if (depth > MAX_V1_DEPTH) throw new Error(`dependencies nested deeper than ${MAX_V1_DEPTH}`)
  const out: Component[] = []
  for (const [key, e] of Object.entries(deps)) {
    if (!isRecord(e)) continue
    const version = str(e.version)
    // An alias `"foo": { "version": "npm:bar@1.0.0" }` installs bar@1.0.0 under the name foo.
    const alias = version?.match(/^npm:((?:@[^@/]+\/)?[^@]+)@(.+)$/)
    const name = alias ? alias[1]! : key
    if (version) out.push(npmComponent(name, alias ? alias[2]! : version, location, NAME, flags(e)))
    if (isRecord(e.dependencies)) out.push(...fromV1(e.dependencies, location, depth + 1))
  }
  return out
}

export const packageLockCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) =>
    (a.name === 'package-lock.json' || a.name === 'npm-shrinkwrap.json') && !insideNodeModules(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parsePackageLock(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
