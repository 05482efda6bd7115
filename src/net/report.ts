import type { Finding, IntelSourceInfo, Report, Verdict } from '../core/types.js'
import { VERSION } from '../core/version.js'
import type { NetAnalysis } from './analyze.js'

/** The JSON report of a `vigil net` run (targets of kind `netlog`). */
export function netReport(
  a: NetAnalysis,
  intel: readonly IntelSourceInfo[],
  extra: { findings?: Finding[]; verdicts?: Verdict[] } = {},
): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: VERSION, intel: [...intel] },
    createdAt: new Date().toISOString(),
    targets: a.targets,
    components: [],
    findings: [...a.findings, ...(extra.findings ?? [])],
    ...(extra.verdicts?.length ? { verdicts: extra.verdicts } : {}),
    problems: a.problems,
    stats: { files: a.stats.files, bytes: a.stats.bytes, durationMs: a.stats.durationMs },
  }
}
