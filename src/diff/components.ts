import type { Component, ReleaseDiff } from '../core/types.js'

function identity(c: Component): string {
  return c.vendor && c.product
    ? `${c.ecosystem}:${c.vendor}/${c.product}`
    : `${c.ecosystem}:${c.name}`
}

/** Components whose version changed, appeared or disappeared between two releases. */
export function diffComponents(
  oldList: readonly Component[],
  newList: readonly Component[],
): ReleaseDiff['components'] {
  const versions = (list: readonly Component[]) => {
    const m = new Map<string, Component[]>()
    for (const c of list) {
      const k = identity(c)
      const cur = m.get(k)
      if (cur) cur.push(c)
      else m.set(k, [c])
    }
    return m
  }
  const before = versions(oldList)
  const after = versions(newList)
  const out: ReleaseDiff['components'] = { changed: [], added: [], removed: [], unchanged: 0 }
  for (const [k, news] of after) {
    const olds = before.get(k)
    if (!olds) {
      out.added.push(...news.map((c) => c.purl))
      continue
    }
    const oldVersions = new Set(olds.map((c) => c.version))
    const newVersions = new Set(news.map((c) => c.version))
    const same =
      [...newVersions].every((v) => oldVersions.has(v)) && newVersions.size === oldVersions.size
    if (same) out.unchanged++
    else {
      const first = news[0]!
      out.changed.push({
        name: first.name,
        ecosystem: first.ecosystem,
        from: [...oldVersions].sort().join(', '),
        to: [...newVersions].sort().join(', '),
        purl: first.purl,
      })
    }
  }
  for (const [k, olds] of before) if (!after.has(k)) out.removed.push(...olds.map((c) => c.purl))
  for (const list of [out.added, out.removed]) list.sort()
  out.changed.sort((a, b) => a.name.localeCompare(b.name))
  return out
}
