import type { FileType } from '../core/artifact.js'
import type { IntelSourceInfo } from '../core/types.js'
import type {
  AdvisoryRecord,
  FileIndicator,
  IntelRecord,
  NetworkIndicator,
  YaraRuleRecord,
} from './records.js'

export type HashKind = 'sha256' | 'sha1' | 'md5'

/** The one read API over loaded intel that every layer uses. Lookups are O(1) in the indicator count. */
export interface Intel {
  readonly sources: readonly IntelSourceInfo[]
  /**
   * Identity of the loaded intel and of how it is matched (content digests of the sources, the
   * hash kinds per file type): equal fingerprints give equal lookups. For cache keys.
   */
  readonly fingerprint: string
  /**
   * The hash kinds to compute for a file of this type: SHA-256 always; SHA-1 / MD5 only when some
   * indicator of that kind can match such a file through that hash alone, i.e. it carries no
   * `sampleSha256` and its platform does not rule the type out (a Windows sample is never ELF or
   * Mach-O, a macOS one never PE or ELF, a Linux one never PE or Mach-O). Bulk batches count
   * for every type unless their template names a platform.
   */
  hashKindsFor(type: FileType): ReadonlySet<HashKind>
  /**
   * Indicators a file with this hash matches. For `sha256` that includes SHA-1 / MD5 indicators
   * whose `sampleSha256` is this hash (the same sample): those come back with `type !== kind`.
   */
  lookupHash(kind: HashKind, hex: string): readonly FileIndicator[]
  /** Indicators naming this file by base name or path pattern. */
  matchFile(path: string): readonly FileIndicator[]
  /** Domain indicators for the host or any parent domain. */
  matchDomain(host: string): readonly NetworkIndicator[]
  /** URL indicators matching host and path prefix. */
  matchUrl(url: string): readonly NetworkIndicator[]
  /** IP and CIDR indicators containing the address. */
  matchIp(ip: string): readonly NetworkIndicator[]
  readonly advisories: readonly AdvisoryRecord[]
  readonly yara: readonly YaraRuleRecord[]
  /** Every record, bulk batches expanded on first access (costly for big batches: export, show). */
  readonly records: readonly IntelRecord[]
}
