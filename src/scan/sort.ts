import { severityRank } from '../core/severity.js'
import type { Report } from '../core/types.js'

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Sorts every list of the report so that the same input gives the same document. */
export function sortReport(r: Report): Report {
  r.findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      cmp(a.locations[0]?.path ?? '', b.locations[0]?.path ?? '') ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.id, b.id),
  )
  r.components.sort(
    (a, b) =>
      cmp(a.purl, b.purl) ||
      cmp(a.foundBy, b.foundBy) ||
      cmp(a.locations[0] ?? '', b.locations[0] ?? ''),
  )
  r.problems.sort(
    (a, b) => cmp(a.path, b.path) || cmp(a.stage, b.stage) || cmp(a.message, b.message),
  )
  r.binaries?.sort((a, b) => cmp(a.path, b.path) || cmp(a.arch ?? '', b.arch ?? ''))
  r.files?.sort((a, b) => cmp(a.path, b.path))
  return r
}
