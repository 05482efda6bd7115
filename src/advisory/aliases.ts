/**
 * Groups advisories that describe one vulnerability: ids and aliases joined by union-find, so
 * GHSA-x (alias CVE-y) and DSA-z (alias CVE-y) become one group listing every id.
 */
export function groupByAliases<T>(items: readonly T[], idsOf: (item: T) => string[]): T[][] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== root) root = parent.get(root) ?? root
    let cur = x
    while (cur !== root) {
      const next = parent.get(cur)!
      parent.set(cur, root)
      cur = next
    }
    return root
  }
  const union = (a: string, b: string) => {
    const ra = find(a)
    const rb = find(b)
    if (ra < rb) parent.set(rb, ra)
    else if (rb < ra) parent.set(ra, rb)
  }
  const idLists = items.map(idsOf)
  for (const ids of idLists) for (const id of ids) if (!parent.has(id)) parent.set(id, id)
  for (const ids of idLists) for (let i = 1; i < ids.length; i++) union(ids[0]!, ids[i]!)
  const groups = new Map<string, T[]>()
  items.forEach((item, i) => {
    const ids = idLists[i]!
    const key = ids.length ? find(ids[0]!) : `\0${i}`
    const g = groups.get(key)
    if (g) g.push(item)
    else groups.set(key, [item])
  })
  return [...groups.values()]
}

const PREFERENCE = [/^MAL-/, /^CVE-/, /^GHSA-/]

/** The id a group is known by (its rule id): MAL- first, then CVE-, GHSA-, else the smallest. */
export function primaryId(ids: readonly string[]): string {
  const sorted = [...ids].sort()
  for (const p of PREFERENCE) {
    const hit = sorted.find((id) => p.test(id))
    if (hit) return hit
  }
  return sorted[0] ?? 'unknown'
}
