import type { Cataloger, Detector } from '../core/plugin.js'
import { loadRegistered } from '../core/registered.js'
import { DETECTORS } from '../detectors.js'
import { CATALOGERS } from '../inventory/catalogers.js'

export interface Plugins {
  detectors: readonly Detector[]
  catalogers: readonly Cataloger[]
}

/**
 * Fresh instances of the registered detectors and catalogers, or of only those named in `only`
 * (each scan thread makes its own, so plugins never share state across threads). Only the modules
 * of the chosen plugins are loaded.
 */
export async function createPlugins(only?: readonly string[]): Promise<Plugins> {
  const [detectors, catalogers] = await Promise.all([
    loadRegistered(DETECTORS, only),
    loadRegistered(CATALOGERS, only),
  ])
  return { detectors, catalogers }
}
