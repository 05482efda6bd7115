/**
 * `yarn.lock`: classic v1 (yarn's own line format) and berry v2+ (YAML with `__metadata`).
 * Berry: the package name and version come from `resolution` (aliases resolve to the real
 * package); workspace entries (the project itself) and `patch:` entries (a patched copy of a
 * package already listed) are skipped.
 */
import { parse as parseYaml } from 'yaml'
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, insideNodeModules, isRecord, mergeByPurl, readText, str } from '../common.js'
import { npmComponent } from './npm-component.js'

const NAME = 'npm-yarn-lock'

export function parseYarnLock(text: string, location: string): Component[] {
  return /^__metadata:/m.test(text) ? parseBerry(text, location) : parseClassic(text, location)
}

/** The package name of a v1 key pattern: `"@scope/a@^1.0.0"` → `@scope/a`; `a@npm:b@1` → `b`. */
function nameOfPattern(pattern: string): string | undefined {
  const p = pattern.trim().replace(/^"|"$/g, '')
  const at = p.indexOf('@', 1)
  if (at < 0) return undefined
  const alias = /^npm:((?:@[^@/]+\/)?[^@]+)@/.exec(p.slice(at + 1))
  return alias ? alias[1] : p.slice(0, at)
}

function unquote(s: string): string {
  const t = s.trim()
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t
}

function parseClassic(text: string, location: string): Component[] {
  const out: Component[] = []
  let name: string | undefined
  let resolved: string | undefined
  const flush = (version: string | undefined): void => {
    if (name && version)
      out.push(npmComponent(name, version, location, NAME, resolved ? { resolved } : {}))
  }
  let version: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue
    if (!line.startsWith(' ')) {
      flush(version)
      version = undefined
      resolved = undefined
      const first = line.replace(/:$/, '').split(/,\s*/)[0] ?? ''
      name = nameOfPattern(first)
      continue
    }
    const m = /^ {2}(version|resolved) +(.+)$/.exec(line)
    if (m?.[1] === 'version') version = unquote(m[2]!)
    else if (m?.[1] === 'resolved') resolved = unquote(m[2]!)
  }
  flush(version)
  return out
}

function parseBerry(text: string, location: string): Component[] {
  return berryComponents(parseYaml(text, { maxAliasCount: 100, logLevel: 'silent' }), location)
}

/** Components of a parsed berry lockfile (any shape: checked field by field). */
export function berryComponents(doc: unknown, location: string): Component[] {
  if (!isRecord(doc)) return []
  const out: Component[] = []
  for (const [key, e] of Object.entries(doc)) {
    if (key === '__metadata' || !isRecord(e)) continue
    const resolution = str(e.resolution) ?? ''
    const m = /^((?:@[^@/]+\/)?[^@/]+)@([a-z]+):(.*)$/.exec(resolution)
    if (!m || m[2] === 'workspace' || m[2] === 'patch' || m[2] === 'link' || m[2] === 'portal')
      continue
    const version = str(e.version) ?? m[3]
    if (!version) continue
    out.push(npmComponent(m[1]!, String(version), location, NAME, { resolution }))
  }
  return out
}

export const yarnLockCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => a.name === 'yarn.lock' && !insideNodeModules(a),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => parseYarnLock(await readText(a), a.path)),
  finish: async (components) => mergeByPurl(components),
}
