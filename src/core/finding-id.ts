import { createHash } from 'node:crypto'
import type { Finding } from './types.js'

/**
 * Stable content hash of a finding: the same rule on the same subject at the same place gives the
 * same id in every run, so suppressions, the server and diffs can follow it.
 */
export function findingId(f: Pick<Finding, 'ruleId' | 'locations' | 'component'>): string {
  const h = createHash('sha256')
  h.update(f.ruleId)
  h.update('\0')
  h.update(f.component ?? '')
  for (const l of f.locations) h.update(`\0${l.path}\0${l.offset ?? ''}\0${l.line ?? ''}`)
  return h.digest('hex').slice(0, 24)
}

/** Builds a finding and fills in its id. */
export function makeFinding(f: Omit<Finding, 'id'>): Finding {
  return { id: findingId(f), ...f }
}
