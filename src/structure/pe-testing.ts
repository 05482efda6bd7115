/** Test helpers for the PE structure detectors: artifacts from buffers and a per-artifact run. */
import { createHash } from 'node:crypto'
import type { Artifact } from '../core/artifact.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import type { ArtifactContext, Detector } from '../core/plugin.js'
import type { BinarySummary, Finding, Problem } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'

export function bufferArtifact(path: string, bytes: Buffer): Artifact {
  const memo = new Map<string, Promise<unknown>>()
  return {
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    size: bytes.length,
    type: bytes.readUInt16LE(0) === 0x5a4d ? 'pe' : 'other',
    hashes: { sha256: createHash('sha256').update(bytes).digest('hex') },
    depth: 0,
    bytes: async () => bytes,
    memo<T>(key: string, make: () => Promise<T> | T): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined
      if (!p) {
        p = Promise.resolve().then(make)
        memo.set(key, p)
      }
      return p
    },
  }
}

export interface DetectRun {
  findings: Finding[]
  summaries: BinarySummary[]
  problems: Problem[]
}

/** Runs detectors over artifacts as the scan does (wants → detect), then their finish(). */
export async function runDetectors(
  detectors: Detector[],
  artifacts: Artifact[],
): Promise<DetectRun> {
  const run: DetectRun = { findings: [], summaries: [], problems: [] }
  const base = {
    intel: buildIntel([], []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: (p: Problem) => run.problems.push(p),
  }
  const ctx: ArtifactContext = { ...base, summarize: (s) => run.summaries.push(s) }
  for (const a of artifacts) {
    for (const d of detectors) {
      if (d.detect && (d.wants?.(a) ?? true)) run.findings.push(...(await d.detect(a, ctx)))
    }
  }
  const files = artifacts.map(({ path, name, size, type, hashes }) => ({
    path,
    name,
    size,
    type,
    hashes,
  }))
  for (const d of detectors) {
    if (d.finish) {
      run.findings.push(
        ...(await d.finish({
          ...base,
          components: [],
          binaries: run.summaries,
          files: () => files,
        })),
      )
    }
  }
  return run
}
