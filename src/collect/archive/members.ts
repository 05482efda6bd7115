import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { FileType } from '../../core/artifact.js'
import { asarMembers } from './asar.js'
import { gzipMembers } from './gzip.js'
import type { ArchiveSource, Member } from './member.js'
import { tarMembers } from './tar.js'
import { zipMembers } from './zip.js'

export interface MemberOptions {
  /** Base name of the archive (gzip names its single member after it). */
  name: string
  /** Most decompressed bytes a gzip stream may produce. */
  maxGzipOut: number
  onAnomaly(message: string): void
}

/** The members of an archive of the given type, in archive order. */
export function archiveMembers(
  type: FileType,
  src: ArchiveSource,
  opts: MemberOptions,
): AsyncGenerator<Member> {
  switch (type) {
    case 'zip':
      return zipMembers(src)
    case 'tar':
      return tarMembers(
        src.kind === 'file' ? createReadStream(src.fsPath) : Readable.from([src.buf]),
      )
    case 'gzip':
      return gzipMembers(src, opts.name, opts.maxGzipOut)
    case 'asar':
      return asarMembers(src, opts.onAnomaly)
    default:
      throw new Error(`not an archive type: ${type}`)
  }
}
