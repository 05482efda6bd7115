/**
 * `pnpm-lock.yaml`, lockfile versions 5.x (`/name/1.0.0_peer@2`), 6.x (`/name@1.0.0(peer@2)`) and
 * 9.x (`name@1.0.0`, peers only in `snapshots`). Entries that carry `name` and `version` fields
 * (tarball and git dependencies) use those.
 */
import { parse as parseYaml } from 'yaml'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, insideNodeModules, isRecord, mergeByPurl, readText, str } from '../common.js'
import { isPackageName, npmComponent } from './npm-component.js'

const NAME = 'npm-pnpm-lock'

/** name and version of a `packages` key, or undefined. */
export function parsePnpmKey(key: string, lockVersion: number): [string, string] | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key
  if (lockVersion < 6) {
    k = k.replace(/_.*$/, '')
    const slash = k.lastIndexOf('/')
    if (slash <= 0) return undefined
    return [k.slice(0, slash), k.slice(slash + 1)]
  }
  k = k.replace(/\(.*$/, '')
  const at = k.indexOf('@', 1)
  if (at < 0) return undefined
  return [k.slice(0, at), k.slice(at + 1)]
}

export function parsePnpmLock(text: string, location: string): Component[] {
  return pnpmComponents(parseYaml(text, { maxAliasCount: 100, logLevel: 'silent' }), location)
}

/** Components of a parsed pnpm lockfile (any shape: checked field by field). */
export function pnpmComponents(doc: unknown, location: string): Component[] {
  if (!isRecord(doc) || !isRecord(doc.packages)) return []
  const lockVersion = Number.parseFloat(String(doc.lockfileVersion ?? '5'))
  const out: Component[] = []
  for (const [key, e] of Object.entries(doc.packages)) {
    const entry = isRecord(e) ? e : {}
    const fromKey = parsePnpmKey(key, Number.isFinite(lockVersion) ? lockVersion : 5)
    const name = str(entry.name) ?? fromKey?.[0]
    const version = str(entry.version) ?? fromKey?.[1]
    if (!name || !version || !isPackageName(name)) continue
    const meta: Record<string, unknown> = {}
    if (entry.dev === true) meta.dev = true
    if (entry.optional === true) meta.optional = true
    out.push(npmComponent(name, version, location, NAME, meta))
  }
  return out
}

export const pnpmLockCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'pnpm-lock.yaml' && !insideNodeModules(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parsePnpmLock(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
