import type { Report } from '../core/types.js'
import { canonicalReport } from './canonical.js'

/** The JSON report (BRIEF §4, schema/report.schema.json): canonical key order, sorted lists. */
export function jsonReport(report: Report): string {
  return `${JSON.stringify(canonicalReport(report), null, 2)}\n`
}
