import type { Detector, FinishContext } from '../core/plugin.js'
import type { Finding } from '../core/types.js'
import { buildAdvisoryIndex } from './advisory-index.js'
import { DETECTOR_NAME, findingsFor } from './findings.js'
import { matchComponent } from './match.js'

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
  const index = buildAdvisoryIndex(advisories)
  const out: Finding[] = []
  for (const c of components) {
    signal?.throwIfAborted()
    const matches = matchComponent(c, index)
    if (matches.length) out.push(...findingsFor(c, matches))
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
