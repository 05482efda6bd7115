import type { Report } from '../core/types.js'
import { cyclonedxReport } from './cyclonedx.js'
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
export type Reporter = (report: Report, opts: ReporterOptions) => string

/**
 * Every output format, by its `--format` name. To add one, write `src/report/<name>.ts` exporting
 * a `Reporter` and add one line here (the CycloneDX reporter registers as `cyclonedx`).
 */
export const reporters: Readonly<Record<string, Reporter>> = {
  cyclonedx: (r) => cyclonedxReport(r),
  json: (r) => jsonReport(r),
  sarif: (r) => sarifReport(r),
  table: (r, o) => tableReport(r, o),
}

export function reporterNames(): string[] {
  return Object.keys(reporters).sort()
}
