import type { Detector, FinishContext } from '../core/plugin.js'
import type { Component, Finding } from '../core/types.js'
import { DETECTOR_NAME, findingsFor } from './findings.js'
import { matchAll } from './match.js'

/**
 * Matches every catalogued component against the loaded OSV advisories (package registries,
 * distributions, vendor products): one finding per vulnerability, with the matched range or
 * version list, the installed version and the version to update to.
 */
export const advisoryDetector: Detector = {
  name: DETECTOR_NAME,
  version: 1,
  layer: 'advisory',
  async finish(ctx: FinishContext): Promise<Finding[]> {
    return matchAdvisories(ctx.components, ctx.intel.advisories, ctx.signal)
  },
}

/** The library entry point: components × advisories → findings, sorted by id. */
export function matchAdvisories(
  components: FinishContext['components'],
  advisories: FinishContext['intel']['advisories'],
  signal?: AbortSignal,
): Finding[] {
  if (advisories.length === 0 || components.length === 0) return []
  const subjects = mergeByPurl(components)
  const matches = matchAll(subjects, advisories, signal)
  const out: Finding[] = []
  subjects.forEach((c, i) => {
    const m = matches[i]
    if (m?.length) out.push(...findingsFor(c, m))
  })
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * One subject per package identity and platform: the same product seen by two catalogers (the
 * Windows EXE and the Electron app inside it) or the same package in two places is one component
 * with every location, so it gets one finding per vulnerability.
 */
export function mergeByPurl(components: readonly Component[]): Component[] {
  const by = new Map<string, Component>()
  // A fixed order decides whose metadata the merged subject keeps: catalogers in reverse name
  // order (`windows-app` before `electron-app`, so the EXE's product name is shown), then places.
  const key = (c: Component) => `${c.foundBy}\0${c.locations.join('\0')}`
  const sorted = [...components].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
  for (const c of sorted) {
    const key = `${c.purl}\0${String(c.metadata?.platform ?? '')}`
    const seen = by.get(key)
    if (!seen) by.set(key, { ...c, locations: [...c.locations] })
    else seen.locations = [...new Set([...seen.locations, ...c.locations])]
  }
  for (const c of by.values()) c.locations.sort()
  return [...by.values()]
}
