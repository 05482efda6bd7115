import type { Intel } from '../intel/intel.js'
import type { Artifact } from './artifact.js'
import type { Limits } from './limits.js'
import type { BinarySummary, Component, Finding, Layer, Problem } from './types.js'

/**
 * An artifact's identity as the cross-file stage sees it: no bytes, no name (the path's last
 * segment), and of the hashes only SHA-256 and, when it was computed, SHA-1 (signature seals may
 * use it); MD5 is for IOC matching, done per artifact.
 */
export type FileRecord = Pick<Artifact, 'path' | 'size' | 'type'> & {
  hashes: Pick<Artifact['hashes'], 'sha256' | 'sha1'>
}

/** What every plugin is told about the run. */
export interface PluginContext {
  intel: Intel
  limits: Limits
  signal: AbortSignal
  /** Directory of PEM roots trusted for signature chains; absent: none is trusted. */
  trustStore?: string
  /** Record a problem (unreadable, malformed, over a limit); the scan goes on. */
  problem(p: Problem): void
}

export interface ArtifactContext extends PluginContext {
  /** Publish a compact per-binary summary (format, arch, signer, version info) into the report. */
  summarize(summary: BinarySummary): void
}

/** After every artifact was seen: for detectors that look across files or at components. */
export interface FinishContext extends PluginContext {
  components: readonly Component[]
  binaries: readonly BinarySummary[]
  /**
   * Every artifact's identity (no bytes): path, size, type, hashes. A scan reads them back from
   * disk on each call, one pass, in no particular order: call it only when needed and keep only
   * the records needed (a tree can have millions).
   */
  files(): AsyncIterable<FileRecord> | Iterable<FileRecord>
}

/**
 * A detector emits findings with evidence. Register it in src/detectors.ts.
 * `detect` runs per artifact that `wants` it; `finish` runs once after all artifacts.
 */
export interface Detector {
  /** Unique, path-like and stable: `ioc/file-hash`, `structure/cert-padding`. */
  readonly name: string
  /** Bumped when its results change meaning. */
  readonly version: number
  readonly layer: Layer
  /** Cheap pre-filter on type, name and size. Never reads bytes. */
  wants?(artifact: Artifact): boolean
  detect?(artifact: Artifact, ctx: ArtifactContext): Promise<Finding[]>
  finish?(ctx: FinishContext): Promise<Finding[]>
}

/**
 * A cataloger turns files into components. Register it in src/inventory/catalogers.ts.
 * `finish` may merge or group components across files (e.g. an application directory).
 */
export interface Cataloger {
  /** Language/ecosystem first, lowercase with hyphens: `npm-package-lock`, `dpkg-status`. */
  readonly name: string
  readonly version: number
  wants(artifact: Artifact): boolean
  catalog(artifact: Artifact, ctx: ArtifactContext): Promise<Component[]>
  finish?(components: Component[], ctx: FinishContext): Promise<Component[]>
}
