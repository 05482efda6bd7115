import type { Cataloger, Detector } from '../core/plugin.js'
import { createDetectors } from '../detectors.js'
import { createCatalogers } from '../inventory/catalogers.js'

export interface Plugins {
  detectors: readonly Detector[]
  catalogers: readonly Cataloger[]
}

/**
 * Fresh instances of the registered detectors and catalogers, or of only those named in `only`
 * (each scan thread makes its own, so plugins never share state across threads).
 */
export function createPlugins(only?: readonly string[]): Plugins {
  const keep = only ? new Set(only) : undefined
  const pick = <T extends { name: string }>(list: T[]) =>
    keep ? list.filter((p) => keep.has(p.name)) : list
  return { detectors: pick(createDetectors()), catalogers: pick(createCatalogers()) }
}
