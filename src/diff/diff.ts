import type { BinarySummary, Finding, ReleaseDiff, Report } from '../core/types.js'
import { withCorrelation } from '../correlate/correlate.js'
import { BINARY_RULES, type ChangedFile } from './binary-rules.js'
import { completeChanged, type FactsReader } from './complete.js'
import { diffComponents } from './components.js'
import { type FilePairing, pairFiles } from './pair.js'
import type { ReleaseSnapshot } from './snapshot.js'

export interface DiffResult {
  diff: ReleaseDiff
  findings: Finding[]
}

function summariesByPath(list: readonly BinarySummary[]): Map<string, BinarySummary> {
  const m = new Map<string, BinarySummary>()
  // A fat Mach-O has one summary per slice: compare the first slice of each side by arch order.
  for (const b of [...list].sort((x, y) => (x.arch ?? '').localeCompare(y.arch ?? ''))) {
    if (!m.has(b.path)) m.set(b.path, b)
  }
  return m
}

/**
 * Compares two releases: pairs their files, lists what changed, and runs every binary rule over
 * each changed file. Pure: both sides are already scanned.
 */
export function diffSnapshots(
  oldSide: ReleaseSnapshot,
  newSide: ReleaseSnapshot,
  pairing: FilePairing = pairFiles(oldSide.files, newSide.files),
): DiffResult {
  const oldBins = summariesByPath(oldSide.binaries)
  const newBins = summariesByPath(newSide.binaries)
  const findings: Finding[] = []
  for (const p of pairing.changed) {
    const file: ChangedFile = {
      old: p.old,
      new: p.new,
      oldBin: oldBins.get(p.old.path),
      newBin: newBins.get(p.new.path),
    }
    for (const rule of BINARY_RULES) findings.push(...rule(file))
  }
  const diff: ReleaseDiff = {
    old: oldSide.label,
    new: newSide.label,
    files: {
      added: pairing.added.map((f) => f.path).sort(),
      removed: pairing.removed.map((f) => f.path).sort(),
      changed: pairing.changed.map((p) => p.new.path).sort(),
      moved: pairing.moved.map((p) => ({ from: p.old.path, to: p.new.path })),
      unchanged: pairing.unchanged.length,
    },
    components: diffComponents(oldSide.components, newSide.components),
  }
  return { diff, findings }
}

/**
 * The diff as a report: the new release's own findings plus the diff findings, correlated again
 * (a diff finding and, say, a structure finding on the same file agree), and the change summary.
 * Sides from a quick first pass are completed for their changed binaries through `read`.
 */
export async function diffReport(
  oldSide: ReleaseSnapshot,
  newSide: ReleaseSnapshot,
  read?: FactsReader,
): Promise<Report> {
  const pairing = pairFiles(oldSide.files, newSide.files)
  const [o, n] = read ? await completeChanged(oldSide, newSide, pairing, read) : [oldSide, newSide]
  const { diff, findings } = diffSnapshots(o, n, pairing)
  const base = newSide.report
  const correlated = withCorrelation([...base.findings, ...findings], base.components)
  return {
    ...base,
    targets: [...oldSide.report.targets, ...base.targets],
    findings: correlated.findings,
    verdicts: correlated.verdicts,
    problems: [...oldSide.report.problems, ...base.problems],
    diff,
  }
}
