import type { EmbeddedStrings } from '../collect/embedded-strings.js'
import type { FileType } from '../core/artifact.js'
import type { FileRecord as PluginFileRecord } from '../core/plugin.js'
import type { BinarySummary, Component, Finding, Problem } from '../core/types.js'

/** An artifact's identity without bytes, as FinishContext.files lists it. */
export type FileRecord = PluginFileRecord & {
  /** URLs, domains and IPs embedded in a binary; recorded when the scan lists its files. */
  strings?: EmbeddedStrings
}

/**
 * Everything the per-artifact stage produced for one file on disk (and its archive members): the
 * unit the cache stores, so an unchanged file is replayed without being read.
 */
export interface EntryResult {
  files: FileRecord[]
  /** Components with the name of the cataloger that found them (its finish() gets them back). */
  components: { by: string; component: Component }[]
  findings: Finding[]
  binaries: BinarySummary[]
  problems: Problem[]
  archives: number
  symlinks: number
}

export function emptyResult(): EntryResult {
  return {
    files: [],
    components: [],
    findings: [],
    binaries: [],
    problems: [],
    archives: 0,
    symlinks: 0,
  }
}

/**
 * What the main thread keeps of an EntryResult while the scan runs: everything but the per-file
 * records and binary summaries, which grow with the tree and stay on disk (ResultLog) until
 * finish() and the report read them back.
 */
export interface EntrySummary {
  components: EntryResult['components']
  findings: Finding[]
  problems: Problem[]
  archives: number
  symlinks: number
  /** Artifacts recorded (the length of `files`). */
  fileCount: number
  /** The type of the file itself (the first record), when it was recorded. */
  type?: FileType
}

/** An EntryResult as stored and passed between threads: the summary, and the rest as JSON text. */
export interface StoredEntry {
  summary: EntrySummary
  /** JSON of `binaries` and of `files` (JSON text never holds a raw tab or newline). */
  binaries: string
  files: string
}

export function summaryOf(r: EntryResult): EntrySummary {
  return {
    components: r.components,
    findings: r.findings,
    problems: r.problems,
    archives: r.archives,
    symlinks: r.symlinks,
    fileCount: r.files.length,
    ...(r.files[0] && { type: r.files[0].type }),
  }
}

export function storedEntry(r: EntryResult): StoredEntry {
  return {
    summary: summaryOf(r),
    binaries: JSON.stringify(r.binaries),
    files: JSON.stringify(r.files),
  }
}

export function emptyEntry(): StoredEntry {
  return storedEntry(emptyResult())
}
