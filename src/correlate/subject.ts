import type { Component, Finding, Verdict } from '../core/types.js'

export interface Subject {
  key: string
  kind: Verdict['subjectKind']
}

/** The subject of findings that name neither a component nor a location. */
export const HOST_SUBJECT: Subject = { key: '(host)', kind: 'host' }

/**
 * Is `path` the component location itself or inside it (a directory or an archive)? A location of
 * the whole target (`''`, `.`) owns nothing: it would fold every file into one verdict.
 */
function within(path: string, location: string): boolean {
  if (location === '' || location === '.') return false
  return path === location || path.startsWith(`${location}/`) || path.startsWith(`${location}!/`)
}

/**
 * Maps a file path to the component that owns it: the component with the longest location that is
 * the path itself, a directory holding it or an archive holding it. A location several components
 * share (one lock file listing many packages) is ambiguous and owns nothing; a shorter, unshared
 * location may still own the path.
 */
export function componentIndex(
  components: readonly Component[],
): (path: string) => string | undefined {
  const owners = new Map<string, Set<string>>()
  for (const c of components) {
    for (const loc of c.locations) {
      const set = owners.get(loc) ?? new Set<string>()
      set.add(c.purl)
      owners.set(loc, set)
    }
  }
  const sole = new Map<string, string>()
  for (const [loc, purls] of owners) if (purls.size === 1) sole.set(loc, [...purls][0]!)
  const locations = [...sole.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
  const memo = new Map<string, string | undefined>()
  return (path) => {
    if (memo.has(path)) return memo.get(path)
    const loc = locations.find((l) => within(path, l))
    const purl = loc === undefined ? undefined : sole.get(loc)
    memo.set(path, purl)
    return purl
  }
}

/**
 * The subject a finding is about: its component when it names one; else the component owning its
 * first location (when components are known); else that location's path as a file subject (an
 * archive member `outer!/inner` is its own file subject); else the host.
 */
export function subjectOf(f: Finding, owner: (path: string) => string | undefined): Subject {
  if (f.component) return { key: f.component, kind: 'component' }
  const path = f.locations[0]?.path
  if (path === undefined) return HOST_SUBJECT
  const purl = owner(path)
  if (purl !== undefined) return { key: purl, kind: 'component' }
  return { key: path, kind: 'file' }
}
