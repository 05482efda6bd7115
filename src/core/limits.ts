import { GiB, MiB } from './units.js'

/** Every bound on hostile input, in one place. All are configurable (config file and flags). */
export interface Limits {
  /** Files larger than this are hashed but not parsed or rule-scanned; a warning is recorded. */
  maxFileBytes: number
  /** Largest file read whole into memory for parsers and rules. */
  maxParseBytes: number
  /** Bytes of whole-file buffers in flight at once across workers (memory ceiling). */
  memoryBudgetBytes: number
  /** Archive nesting: a member of a member of … deeper than this is not opened. */
  maxArchiveDepth: number
  /** Members read from one archive. */
  maxArchiveMembers: number
  /** Expanded bytes across all members of one top-level archive (zip bombs). */
  maxExpandedBytes: number
  /** Largest expanded size of one member relative to its compressed size. */
  maxCompressionRatio: number
  /** Per-file time limit for rule engines, in milliseconds. */
  ruleTimeoutMs: number
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 4 * GiB,
  maxParseBytes: 512 * MiB,
  memoryBudgetBytes: 96 * MiB,
  maxArchiveDepth: 8,
  maxArchiveMembers: 100_000,
  maxExpandedBytes: 4 * GiB,
  maxCompressionRatio: 200,
  ruleTimeoutMs: 10_000,
}
