import type { BinarySummary, Component, FileEntry, Finding, Report } from '../core/types.js'

/** One side of a diff: what a scan of a release (or its stored report) says about it. */
export interface ReleaseSnapshot {
  label: string
  files: readonly FileEntry[]
  components: readonly Component[]
  binaries: readonly BinarySummary[]
  findings: readonly Finding[]
  report: Report
  /**
   * Set when the side was scanned in a quick first pass (a directory): binary summaries and
   * embedded strings are filled in afterwards for the changed files only, read from this folder.
   */
  root?: string
}

/** A stored report can be a baseline only when it lists its files (`vigil scan --list-files`). */
export function snapshotFromReport(report: Report, label: string): ReleaseSnapshot {
  return {
    label,
    files: report.files ?? [],
    components: report.components,
    binaries: report.binaries ?? [],
    findings: report.findings,
    report,
  }
}
