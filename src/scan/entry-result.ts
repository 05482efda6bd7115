import type { EmbeddedStrings } from '../collect/embedded-strings.js'
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
