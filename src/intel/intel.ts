import type { IntelSourceInfo } from '../core/types.js'
import type {
  AdvisoryRecord,
  FileIndicator,
  IntelRecord,
  NetworkIndicator,
  YaraRuleRecord,
} from './records.js'

/** The one read API over loaded intel that every layer uses. Lookups are O(1) in the indicator count. */
export interface Intel {
  readonly sources: readonly IntelSourceInfo[]
  /** Which hash kinds indicators exist for: the collector computes SHA-1/MD5 only when listed. */
  readonly hashKinds: ReadonlySet<'sha256' | 'sha1' | 'md5'>
  lookupHash(kind: 'sha256' | 'sha1' | 'md5', hex: string): readonly FileIndicator[]
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
  readonly records: readonly IntelRecord[]
}
