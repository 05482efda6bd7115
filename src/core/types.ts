/**
 * The data model every layer shares. The JSON report (schema/report.schema.json) is these types
 * serialised; change them only together with the schema and its test.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const CONFIDENCES = ['high', 'medium', 'low'] as const
export type Confidence = (typeof CONFIDENCES)[number]

export const LAYERS = [
  'advisory',
  'ioc',
  'rule',
  'structure',
  'diff',
  'network',
  'correlation',
] as const
export type Layer = (typeof LAYERS)[number]

/** Where a finding was seen. `path` is relative to the scan target, `/`-separated, `outer!/inner` for archive members. */
export interface Location {
  path: string
  offset?: number
  length?: number
  /** 1-based line for text inputs (logs, lock files, intel). */
  line?: number
}

/**
 * One checkable fact behind a finding: what matched and where. `kind` names the shape
 * (e.g. `hash-match`, `yara-match`, `cert-padding`, `advisory-range`, `beacon-score`); the other
 * keys are kind-specific and must be plain JSON.
 */
export interface Evidence {
  kind: string
  [key: string]: unknown
}

export interface Remediation {
  summary: string
  fixedVersion?: string
}

export interface Finding {
  /** Stable content hash of ruleId + subject + locations; see findingId(). */
  id: string
  /** Stable rule id, never renamed: `ioc/file-sha256`, `structure/cert-padding`, `advisory/OSV-…`. */
  ruleId: string
  /** Name of the detector that produced it. */
  detector: string
  layer: Layer
  severity: Severity
  confidence: Confidence
  title: string
  message: string
  locations: Location[]
  /** purl of the component this finding is about, if any. */
  component?: string
  evidence: Evidence[]
  remediation?: Remediation
  references?: string[]
  /** Campaign / actor context from intel, when a record names one. */
  context?: { campaign?: string; actor?: string; malware?: string }
}

export interface Component {
  name: string
  version: string
  ecosystem: string
  purl: string
  locations: string[]
  foundBy: string
  /** Vendor products: a stable identity advisories can name. */
  vendor?: string
  product?: string
  /** Extra cataloger-specific facts (plain JSON). */
  metadata?: Record<string, unknown>
}

/** Something that could not be read or parsed; the scan went on. */
export interface Problem {
  stage: string
  path: string
  message: string
  /** `error`: part of the input was not examined; `warning`: examined, with a caveat. */
  level?: 'error' | 'warning'
}

export type TargetKind = 'dir' | 'file' | 'archive' | 'sbom' | 'netlog' | 'report'

export interface Target {
  path: string
  kind: TargetKind
}

export interface IntelSourceInfo {
  source: string
  version: string
  /** ISO date the source was built/published. */
  date?: string
  records?: number
}

/** Correlated verdict for one subject (a file or a component) across layers. */
export interface Verdict {
  subject: string
  subjectKind: 'file' | 'component' | 'host'
  severity: Severity
  layers: Layer[]
  findingIds: string[]
  reasons: string[]
}

/**
 * Compact per-binary facts that inventory, diff and the server reuse. Published by the format's
 * structure detector through `ctx.summarize()`. The optional fields are what `vigil diff` compares
 * when one side is a stored report, so fill every one the parser knows.
 */
export interface BinarySummary {
  path: string
  /** `pe` | `elf` | `macho` (a fat Mach-O gives one summary per slice, `arch` set). */
  format: string
  arch?: string
  /** Signer subject (CN / O) of the leaf certificate, or the team ID for Mach-O. */
  signer?: string
  /** `unsigned` | `valid` | `valid-untrusted-root` | `adhoc` | `digest-mismatch` | `bad-signature` | `malformed`. */
  signature?: string
  /** SHA-256 thumbprint of the signer's certificate. */
  signerThumbprint?: string
  /** Version resource strings (PE VERSIONINFO) or Info.plist versions. */
  version?: Record<string, string>
  /** Imported library → imported function names (lowercased library names). */
  imports?: Record<string, string[]>
  exports?: string[]
  sections?: { name: string; size: number; entropy: number }[]
  overlay?: { offset: number; size: number; entropy: number }
  /** Bytes inside the signature area beyond the signature itself (CVE-2013-3900 trick). */
  certPadding?: { offset: number; size: number; entropy: number }
  [key: string]: unknown
}

/** One collected file, listed in the report when asked (`vigil diff` baselines need it). */
export interface FileEntry {
  path: string
  size: number
  type: string
  sha256: string
  /** URLs, domains and IP addresses found as strings in the file (diff mode). */
  strings?: { urls?: string[]; domains?: string[]; ips?: string[] }
}

/** What changed between two releases (`vigil diff`). */
export interface ReleaseDiff {
  old: string
  new: string
  files: {
    added: string[]
    removed: string[]
    changed: string[]
    moved: { from: string; to: string }[]
    unchanged: number
  }
  components: {
    changed: { name: string; ecosystem: string; from: string; to: string; purl: string }[]
    added: string[]
    removed: string[]
    unchanged: number
  }
}

export interface ScanStats {
  files: number
  bytes: number
  durationMs: number
  archives?: number
  cached?: number
  suppressed?: number
}

export interface Report {
  schemaVersion: 1
  tool: { name: 'vigil'; version: string; intel: IntelSourceInfo[] }
  /** When the report was made (ISO 8601). */
  createdAt?: string
  /** Host the report describes, when known (agent, --with-scan joins). */
  host?: { name?: string; addresses?: string[] }
  targets: Target[]
  components: Component[]
  findings: Finding[]
  verdicts?: Verdict[]
  binaries?: BinarySummary[]
  /** Every file seen, when the scan was asked to list them (diff baselines). */
  files?: FileEntry[]
  /** Present on `vigil diff` reports. */
  diff?: ReleaseDiff
  problems: Problem[]
  stats: ScanStats
}
