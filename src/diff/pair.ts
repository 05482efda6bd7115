import type { FileEntry } from '../core/types.js'

export interface FilePair {
  old: FileEntry
  new: FileEntry
  /** How the two were paired. */
  by: 'path' | 'content' | 'name'
}

export interface FilePairing {
  /** Same path (or moved/renamed), different bytes. */
  changed: FilePair[]
  /** Same bytes under another path. */
  moved: FilePair[]
  unchanged: FilePair[]
  added: FileEntry[]
  removed: FileEntry[]
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!')) + 1).toLowerCase()
}

/**
 * Pairs the files of two releases: by path first, then the rest by identical content (a move),
 * then by base name when exactly one candidate is left on each side (a move with changes).
 */
export function pairFiles(
  oldFiles: readonly FileEntry[],
  newFiles: readonly FileEntry[],
): FilePairing {
  const out: FilePairing = { changed: [], moved: [], unchanged: [], added: [], removed: [] }
  const oldByPath = new Map(oldFiles.map((f) => [f.path, f]))
  const newRest: FileEntry[] = []
  for (const n of newFiles) {
    const o = oldByPath.get(n.path)
    if (!o) {
      newRest.push(n)
      continue
    }
    oldByPath.delete(n.path)
    ;(o.sha256 === n.sha256 ? out.unchanged : out.changed).push({ old: o, new: n, by: 'path' })
  }
  const oldByHash = new Map<string, FileEntry[]>()
  for (const o of oldByPath.values()) {
    const list = oldByHash.get(o.sha256)
    if (list) list.push(o)
    else oldByHash.set(o.sha256, [o])
  }
  const unpairedNew: FileEntry[] = []
  for (const n of newRest) {
    const o = oldByHash.get(n.sha256)?.shift()
    if (o) {
      oldByPath.delete(o.path)
      out.moved.push({ old: o, new: n, by: 'content' })
    } else unpairedNew.push(n)
  }
  pairByName([...oldByPath.values()], unpairedNew, out)
  return out
}

function pairByName(oldRest: FileEntry[], newRest: FileEntry[], out: FilePairing): void {
  const group = (files: FileEntry[]) => {
    const m = new Map<string, FileEntry[]>()
    for (const f of files) {
      const k = baseName(f.path)
      const list = m.get(k)
      if (list) list.push(f)
      else m.set(k, [f])
    }
    return m
  }
  const oldByName = group(oldRest)
  const newByName = group(newRest)
  for (const [name, news] of newByName) {
    const olds = oldByName.get(name)
    if (news.length === 1 && olds?.length === 1) {
      out.changed.push({ old: olds[0]!, new: news[0]!, by: 'name' })
      oldByName.delete(name)
    } else out.added.push(...news)
  }
  for (const olds of oldByName.values()) out.removed.push(...olds)
}
