/** What the collector hands to catalogers and detectors: one file, on disk or inside an archive. */

export const FILE_TYPES = [
  'pe',
  'elf',
  'macho',
  'macho-fat',
  'zip',
  'tar',
  'gzip',
  'asar',
  'script',
  'text',
  'other',
] as const
export type FileType = (typeof FILE_TYPES)[number]

export interface Hashes {
  sha256: string
  sha1?: string
  md5?: string
}

export interface Artifact {
  /** Report path: relative to the target, `/`-separated, `outer!/inner` for archive members. */
  readonly path: string
  /** Base name of the last path segment. */
  readonly name: string
  readonly size: number
  readonly type: FileType
  readonly hashes: Hashes
  /** Absolute path on disk when this is a plain file (not an archive member). */
  readonly fsPath?: string
  /**
   * For a file on disk: whether its directory has an entry named `resources` or `Resources` (an
   * Electron application root's layout). Seen by the walk and part of the scan cache's key, so a
   * cached result never depends on a sibling that has since appeared or gone. Absent for members.
   */
  readonly resourcesBeside?: boolean
  /** Archive nesting depth: 0 for a file on disk. */
  readonly depth: number
  /** True when the whole content is already in memory (bytes() then costs no read). */
  readonly inMemory?: boolean
  /** The whole content. Rejects for files over limits.maxParseBytes; callers record a problem. */
  bytes(): Promise<Buffer>
  /**
   * Per-artifact memo shared by all detectors and catalogers of one scan, so a PE is parsed once:
   * `await a.memo('pe', async () => parsePe(await a.bytes()))`.
   */
  memo<T>(key: string, make: () => Promise<T> | T): Promise<T>
}
