import type { IntelSourceInfo } from '../core/types.js'
import { buildIntel, intelInputs } from './build-index.js'
import { HashBatch, type HashBatchSnapshot } from './hash-batch.js'
import type { Intel } from './intel.js'
import type { IntelRecord } from './records.js'

/**
 * Loaded intel as plain data for worker threads (`postMessage`, `workerData`): the records as
 * they are (bulk batches not expanded), and each batch's packed digests and hash table in
 * SharedArrayBuffers, so a million indicators cross to a worker without a copy or a rebuild.
 */
export interface IntelSnapshot {
  records: readonly IntelRecord[]
  sources: readonly IntelSourceInfo[]
  batches: readonly HashBatchSnapshot[]
  /** What the Intel's fingerprint was made from, so the rebuilt one has the same. */
  contentDigest: string
}

export interface SnapshotOptions {
  /**
   * Keep the OSV advisories (default true). They are matched only in `finish()`, on the main
   * thread, and an imported OSV database can be large: scan workers can leave them out (their
   * `intel.advisories` is then empty; every other lookup is unchanged).
   */
  advisories?: boolean
}

/** The snapshot of intel made by buildIntel() or loadIntel(); throws for any other Intel. */
export function snapshotIntel(intel: Intel, opts: SnapshotOptions = {}): IntelSnapshot {
  const inputs = intelInputs(intel)
  if (!inputs) throw new Error('snapshotIntel: this Intel was not made by buildIntel()')
  const keep = opts.advisories ?? true
  return {
    records: keep ? inputs.records : inputs.records.filter((r) => r.kind !== 'advisory'),
    sources: inputs.sources,
    batches: inputs.batches.map((b) => b.snapshot()),
    contentDigest: inputs.contentDigest,
  }
}

/** The same lookups as the Intel the snapshot came from (built once per thread, no file reads). */
export function intelFromSnapshot(s: IntelSnapshot): Intel {
  const batches = s.batches.map((b) => HashBatch.fromSnapshot(b))
  return buildIntel(s.records, s.sources, batches, { contentDigest: s.contentDigest })
}
