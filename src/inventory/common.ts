/** Small helpers every cataloger shares: guarded parsing, text decoding, de-duplication. */
import type { Artifact } from '../core/artifact.js'
import { errorMessage } from '../core/errors.js'
import type { PluginContext } from '../core/plugin.js'
import type { Component } from '../core/types.js'

/**
 * Runs one cataloger's parse of one artifact. Anything it throws (unreadable file, over the parse
 * limit, malformed input the parser gave up on) becomes a Problem and no components; the scan
 * goes on.
 */
export async function guarded(
  cataloger: string,
  a: Artifact,
  ctx: PluginContext,
  parse: () => Promise<Component[]> | Component[],
): Promise<Component[]> {
  try {
    return await parse()
  } catch (err) {
    // The pipeline records one warning per file too large to read; no second one per cataloger.
    if (err instanceof Error && err.name === 'TooLargeError') return []
    ctx.problem({
      stage: `catalog:${cataloger}`,
      path: a.path,
      message: errorMessage(err),
      level: 'warning',
    })
    return []
  }
}

/** UTF-8 text without a byte-order mark. */
export function decodeText(b: Buffer): string {
  const s = b.toString('utf8')
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s
}

export async function readText(a: Artifact): Promise<string> {
  return decodeText(await a.bytes())
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  const t = v.trim()
  return t === '' ? undefined : t
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)

/**
 * Components in an order that does not depend on the order files were visited (the pipeline
 * visits concurrently, and a cached rescan differently): by finder, purl, first location.
 */
export function stableOrder(list: readonly Component[]): Component[] {
  return [...list].sort(
    (x, y) =>
      cmp(x.foundBy, y.foundBy) ||
      cmp(x.purl, y.purl) ||
      cmp(x.locations[0] ?? '', y.locations[0] ?? '') ||
      cmp(JSON.stringify(x.metadata ?? {}), JSON.stringify(y.metadata ?? {})),
  )
}

/**
 * One component per purl and finder: the same package seen in several places keeps every
 * location (sorted). Metadata of the sighting at the first location (in path order) wins.
 */
export function mergeByPurl(list: readonly Component[]): Component[] {
  const byKey = new Map<string, Component>()
  for (const c of stableOrder(list)) {
    const key = `${c.foundBy}\0${c.purl}`
    const seen = byKey.get(key)
    if (!seen) byKey.set(key, { ...c, locations: [...c.locations] })
    else for (const l of c.locations) if (!seen.locations.includes(l)) seen.locations.push(l)
  }
  const out = [...byKey.values()]
  for (const c of out) c.locations.sort()
  return out.sort((x, y) => (x.purl < y.purl ? -1 : x.purl > y.purl ? 1 : 0))
}

/**
 * The fullest path known for an artifact: its absolute path on disk when it is a plain file
 * (report paths are relative to the scan target, so scanning `node_modules` itself drops that
 * segment), else its report path.
 */
export function fullPath(a: Artifact): string {
  return a.fsPath ? a.fsPath.replaceAll('\\', '/') : a.path
}

/**
 * Is the artifact inside an installed package (below a `node_modules/` directory)? A lockfile
 * there belongs to a dependency's own development, not to what is installed.
 */
export function insideNodeModules(a: Artifact): boolean {
  return /(?:^|\/)node_modules\//.test(fullPath(a))
}

/** The directory part of a report path (`a/b/c` → `a/b`; `x.jar!/META-INF/m` → `x.jar!/META-INF`). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i < 0 ? '' : path.slice(0, i)
}
