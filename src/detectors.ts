import type { Detector } from './core/plugin.js'

/**
 * Every detector, in one explicit list (no self-registration). Order does not matter:
 * detectors are independent and never import each other.
 */
export function createDetectors(): Detector[] {
  return []
}
