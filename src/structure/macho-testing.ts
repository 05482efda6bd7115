/**
 * Test helpers for the Mach-O structure detectors: run detectors over artifacts the way the scan
 * pipeline does (wants → detect with summarize → finish with every file and summary).
 */

import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileType } from '../collect/file-type.js'
import type { Artifact } from '../core/artifact.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import type { ArtifactContext, Detector, FinishContext } from '../core/plugin.js'
import type { BinarySummary, Finding, Problem } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import { memArtifact, walkFiles } from '../inventory/testing.js'

export const MACHO_FIXTURES = fileURLToPath(
  new URL('../../scripts/fixtures/macho/out', import.meta.url),
)

export interface DetectorRun {
  findings: Finding[]
  binaries: BinarySummary[]
  problems: Problem[]
}

export async function runDetectors(
  detectors: Detector[],
  artifacts: Artifact[],
): Promise<DetectorRun> {
  const run: DetectorRun = { findings: [], binaries: [], problems: [] }
  const base = {
    intel: buildIntel([], []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: (p: Problem) => run.problems.push(p),
  }
  const ctx: ArtifactContext = { ...base, summarize: (s) => run.binaries.push(s) }
  for (const a of artifacts) {
    for (const d of detectors) {
      if (d.detect && (!d.wants || d.wants(a))) run.findings.push(...(await d.detect(a, ctx)))
    }
  }
  const finish: FinishContext = {
    ...base,
    components: [],
    binaries: run.binaries,
    files: () =>
      artifacts.map((a) => ({
        path: a.path,
        size: a.size,
        type: a.type,
        hashes: a.hashes,
      })),
  }
  for (const d of detectors) if (d.finish) run.findings.push(...(await d.finish(finish)))
  return run
}

/** Artifacts for every file under `dir` inside the Mach-O fixture folder, paths relative to it. */
export function fixtureArtifacts(dir = ''): Artifact[] {
  return walkFiles(join(MACHO_FIXTURES, dir), () => true)
    .sort()
    .map((f) => fileArtifact(MACHO_FIXTURES, f))
}

/** An artifact for a file on disk, typed by the collector's own magic-byte sniffing. */
export function fileArtifact(root: string, file: string): Artifact {
  const bytes = readFileSync(file)
  const path = relative(root, file).split('\\').join('/')
  return memArtifact(path, bytes, { fsPath: file, type: fileType(bytes.subarray(0, 65536)) })
}
