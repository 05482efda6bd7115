import type { Confidence, Severity } from '../core/types.js'

/** Provenance every intel record keeps. */
export interface Provenance {
  /** Stable record id within its source: `vigil-pack/3cx-ffmpeg-dll-win`, `MAL-2024-1234`. */
  id: string
  /** Name of the source pack or imported file. */
  source: string
  confidence: Confidence
  references: string[]
  firstSeen?: string
  lastSeen?: string
  /** Campaign / actor / malware context, when the source names it. */
  campaign?: string
  actor?: string
  malware?: string
  description?: string
  /** Free-form labels from the source (MISP tags, STIX labels, CSV extra column). */
  tags?: string[]
}

export type FileIndicatorType = 'sha256' | 'sha1' | 'md5' | 'filename' | 'path'

export interface FileIndicator extends Provenance {
  kind: 'file'
  type: FileIndicatorType
  /** Lowercase hex for hashes; a file name (case-insensitive) or a glob for paths. */
  value: string
  severity: Severity
  /**
   * Platform of the sample (`windows`, `macos`, `linux`, optionally with an architecture suffix
   * such as `linux-x86_64`). Any other value (`any`, `source`, `macos/unknown`) names none.
   */
  platform?: string
  /**
   * For a `sha1` / `md5` indicator: the SHA-256 of the same sample, when the source gives both
   * (a pack entry listing several hashes of one file, a STIX observation over one `file`, a MISP
   * file object). A file is then matched through its SHA-256, and no weak hash is computed for it.
   */
  sampleSha256?: string
}

export type NetworkIndicatorType = 'domain' | 'url' | 'ip' | 'cidr'

export interface NetworkIndicator extends Provenance {
  kind: 'network'
  type: NetworkIndicatorType
  value: string
  severity: Severity
  /** Destination port, when the source pins one (MISP `ip-dst|port`). */
  port?: number
}

/** An OSV-schema record (https://ossf.github.io/osv-schema/), kept as imported. */
export interface OsvRecord {
  id: string
  modified?: string
  published?: string
  withdrawn?: string
  aliases?: string[]
  related?: string[]
  summary?: string
  details?: string
  severity?: { type: string; score: string }[]
  affected?: OsvAffected[]
  references?: { type: string; url: string }[]
  database_specific?: Record<string, unknown>
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string }
  ranges?: {
    type: 'SEMVER' | 'ECOSYSTEM' | 'GIT'
    events: { introduced?: string; fixed?: string; last_affected?: string; limit?: string }[]
  }[]
  versions?: string[]
  ecosystem_specific?: Record<string, unknown>
  database_specific?: Record<string, unknown>
}

export interface AdvisoryRecord extends Provenance {
  kind: 'advisory'
  osv: OsvRecord
}

export interface YaraRuleRecord extends Provenance {
  kind: 'yara'
  /** Rule source text. */
  text: string
  /** File the rules came from, for error messages. */
  file?: string
}

export interface ContextRecord extends Provenance {
  kind: 'context'
  type: 'campaign' | 'intrusion-set' | 'malware'
  name: string
  aliases?: string[]
}

export type IntelRecord =
  | FileIndicator
  | NetworkIndicator
  | AdvisoryRecord
  | YaraRuleRecord
  | ContextRecord
