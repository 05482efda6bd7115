import { InputError } from '../../core/errors.js'
import type { Confidence, IntelSourceInfo, Severity } from '../../core/types.js'
import type { IntelRecord } from '../records.js'

/** Every input format Vigil reads intel from. `vigil` is its own NDJSON (store files, bundles, exports). */
export const INTEL_FORMATS = ['vigil', 'osv', 'osv-zip', 'stix', 'misp', 'csv', 'yara'] as const
export type IntelFormat = (typeof INTEL_FORMATS)[number]

/** What one input file turned into. */
export interface ImportResult {
  format: IntelFormat
  source: IntelSourceInfo
  records: IntelRecord[]
  /** SHA-256 of the bytes read (for a directory: of each file's name and SHA-256, in order). */
  digest: string
}

/** Malformed intel input: names the file and where in it (line, or a JSON path). */
export class IntelFormatError extends InputError {
  override name = 'IntelFormatError'
  constructor(
    readonly file: string,
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${file}${where ? `: ${where}` : ''}: ${detail}`, file)
  }
}

/** Confidence of a value: the pack's [P]/[V] tags are high, everything else is graded down. */
export function severityFor(confidence: Confidence, wanted: Severity): Severity {
  if (confidence === 'high') return wanted
  if (confidence === 'medium') return wanted === 'critical' || wanted === 'high' ? 'medium' : wanted
  return wanted === 'info' ? 'info' : 'low'
}
