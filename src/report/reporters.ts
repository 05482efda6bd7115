import type { Report } from '../core/types.js'
import { jsonReport } from './json.js'
import { sarifReport } from './sarif.js'
import { tableReport } from './table.js'

export interface ReporterOptions {
  /** ANSI colour allowed (only the table uses it). */
  color: boolean
  /** Terminal columns for text layouts. */
  width: number
}

/** A reporter turns a finished report into the bytes of one output format. Pure. */
export type Reporter = (report: Report, opts: ReporterOptions) => string | Promise<string>

/**
 * Every output format, by its `--format` name. To add one, write `src/report/<name>.ts` exporting
 * a `Reporter` and add one line here (the CycloneDX reporter registers as `cyclonedx`). A reporter
 * with a heavy library imports its module when used: loading the CycloneDX library takes about
 * 0.1 s, which every scan paid at start (4% of a cached rescan of the bench tree).
 */
export const reporters: Readonly<Record<string, Reporter>> = {
  cyclonedx: async (r) => (await import('./cyclonedx.js')).cyclonedxReport(r),
  json: (r) => jsonReport(r),
  sarif: (r) => sarifReport(r),
  table: (r, o) => tableReport(r, o),
}

export function reporterNames(): string[] {
  return Object.keys(reporters).sort()
}
