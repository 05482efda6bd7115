/**
 * Runs structure detectors over a list of real files one at a time (bytes dropped after each),
 * then their finish() over every file seen: the clean-corpus check for bench and tests.
 */
import { createHash } from 'node:crypto'
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileType } from '../collect/file-type.js'
import type { Artifact, FileType } from '../core/artifact.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import type { Detector, FileRecord, FinishContext } from '../core/plugin.js'
import type { BinarySummary, Finding, Problem, Severity } from '../core/types.js'
import { buildIntel } from '../intel/build-index.js'
import { memArtifact } from '../inventory/testing.js'

export interface CorpusResult {
  files: number
  byType: Record<string, number>
  findings: Finding[]
  bySeverity: Record<Severity, number>
  problems: Problem[]
  signatures: Record<string, number>
  ms: number
}

/** Regular files under `roots` whose magic says ELF or Mach-O (symlinks not followed). */
export function findBinaries(roots: string[], maxBytes = DEFAULT_LIMITS.maxParseBytes): string[] {
  const out: string[] = []
  const head = Buffer.alloc(64)
  const visit = (d: string): void => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) visit(p)
      else if (e.isFile() && isBinary(p, head, maxBytes)) out.push(p)
    }
  }
  for (const r of roots) visit(r)
  return out.sort()
}

function isBinary(p: string, head: Buffer, maxBytes: number): boolean {
  try {
    const size = statSync(p).size
    if (size < 32 || size > maxBytes) return false
    const fd = openSync(p, 'r')
    const n = readSync(fd, head, 0, 64, 0)
    closeSync(fd)
    const t = fileType(head.subarray(0, n))
    return t === 'elf' || t === 'macho' || t === 'macho-fat'
  } catch {
    return false
  }
}

export async function runCorpus(files: string[], detectors: Detector[]): Promise<CorpusResult> {
  const start = performance.now()
  const result: CorpusResult = {
    files: 0,
    byType: {},
    findings: [],
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    problems: [],
    signatures: {},
    ms: 0,
  }
  const binaries: BinarySummary[] = []
  const seen: FileRecord[] = []
  const base = {
    intel: buildIntel([], []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: (p: Problem) => result.problems.push(p),
  }
  const ctx = {
    ...base,
    summarize: (s: BinarySummary) => {
      if (s.format === 'macho')
        result.signatures[String(s.signature)] = (result.signatures[String(s.signature)] ?? 0) + 1
      if (s.format !== 'elf') binaries.push(s)
    },
  }
  for (const file of files) {
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch {
      continue
    }
    const type: FileType = fileType(bytes.subarray(0, 65536))
    const a: Artifact = memArtifact(file, bytes, { fsPath: file, type })
    result.files++
    result.byType[type] = (result.byType[type] ?? 0) + 1
    seen.push({
      path: a.path,
      size: a.size,
      type,
      hashes: { sha256: createHash('sha256').update(bytes).digest('hex') },
    })
    for (const d of detectors) {
      if (d.detect && (!d.wants || d.wants(a))) result.findings.push(...(await d.detect(a, ctx)))
    }
  }
  const finish: FinishContext = { ...base, components: [], binaries, files: () => seen }
  for (const d of detectors) if (d.finish) result.findings.push(...(await d.finish(finish)))
  for (const f of result.findings) result.bySeverity[f.severity]++
  result.ms = performance.now() - start
  return result
}
