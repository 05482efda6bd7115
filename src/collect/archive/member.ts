/** Where an archive's bytes come from: a file on disk (random access) or memory. */
export type ArchiveSource =
  | { kind: 'file'; fsPath: string | Buffer; size: number }
  | { kind: 'buffer'; buf: Buffer }

/** One entry of an archive, as its reader sees it. */
export interface Member {
  /** Name as stored in the archive (`/`-separated), undecodable bytes shown as `\xNN`. */
  name: string
  kind: 'file' | 'dir' | 'symlink' | 'other'
  /** Declared uncompressed size (exact for tar and asar, a hint for gzip). */
  size: number
  /** Stored size, for the per-member compression ratio (zip). */
  compressedSize?: number
  /** Why the member cannot be read (encrypted, unpacked asar file, …); content() is not called. */
  unreadable?: string
  /** Streams the content once. Rejects or throws mid-stream on damaged data. */
  content(): AsyncIterable<Buffer>
}

export function sourceSize(src: ArchiveSource): number {
  return src.kind === 'file' ? src.size : src.buf.length
}
