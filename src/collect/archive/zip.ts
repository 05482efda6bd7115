import { closeSync, readSync } from 'node:fs'
import { Readable } from 'node:stream'
import { inflateRawSync } from 'node:zlib'
import yauzl from 'yauzl'
import { displayName } from '../names.js'
import { openFd } from '../read-file.js'
import type { ArchiveSource, Member } from './member.js'

const S_IFMT = 0o170000
const S_IFLNK = 0o120000

/** `length` bytes of the archive from `offset`; throws when they are not all there. */
type ReadAt = (offset: number, length: number) => Buffer

/**
 * Members of a zip-family archive (zip, jar, war, ear, apk, whl, nupkg, vsix, …). yauzl reads the
 * central directory, names raw (decodeStrings off) so that hostile names reach the caller's
 * checks instead of aborting the whole archive. Each member's stored bytes are then read in one
 * piece (sliced from memory, or one positioned read of the file: an archive on disk is never held
 * whole) and inflated in one call, far cheaper than a stream per member for thousands of classes.
 */
export async function* zipMembers(src: ArchiveSource): AsyncGenerator<Member> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false } as const
  const { zip, readAt } =
    src.kind === 'buffer'
      ? { zip: await yauzl.fromBufferPromise(src.buf, options), readAt: bufferReader(src.buf) }
      : await fromFile(src.fsPath, src.size)
  try {
    for await (const entry of zip.eachEntry()) yield toMember(entry, readAt)
  } finally {
    zip.close() // closes the descriptor (ours to read members from until then)
  }
}

/**
 * A zip on disk, read with blocking positioned reads: yauzl's own descriptor reader goes through
 * the thread pool for each of the two reads per central-directory entry, which made a jar of
 * 15,000 classes take 5x longer from disk than from memory.
 */
class BlockingFileReader extends yauzl.RandomAccessReader {
  constructor(
    readonly fd: number,
    readonly readAt: ReadAt,
  ) {
    super()
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    let got = 0
    try {
      while (got < length) {
        const n = readSync(this.fd, buffer, offset + got, length - got, position + got)
        if (n === 0) break
        got += n
      }
    } catch (err) {
      callback(err as Error)
      return
    }
    callback(null, got)
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([this.readAt(start, end - start)])
  }

  override close(callback: (err: Error | null) => void): void {
    try {
      closeSync(this.fd)
      callback(null)
    } catch (err) {
      callback(err as Error)
    }
  }
}

/** The central directory through a BlockingFileReader (which closes the descriptor with the zip). */
async function fromFile(
  fsPath: string | Buffer,
  size: number,
): Promise<{ zip: yauzl.ZipFile; readAt: ReadAt }> {
  const fd = openFd(fsPath)
  const readAt = fileReader(fd, size)
  try {
    const zip = await yauzl.fromRandomAccessReaderPromise(
      new BlockingFileReader(fd, readAt),
      size,
      {
        lazyEntries: true,
        decodeStrings: false,
        autoClose: false,
      },
    )
    return { zip, readAt }
  } catch (err) {
    closeSync(fd)
    throw err
  }
}

function bufferReader(buf: Buffer): ReadAt {
  return (offset, length) => {
    if (offset + length > buf.length)
      throw new Error('member data runs past the end of the archive')
    return buf.subarray(offset, offset + length)
  }
}

/** Positioned, blocking reads (a scan thread does nothing else meanwhile: see read-file.ts). */
function fileReader(fd: number, size: number): ReadAt {
  return (offset, length) => {
    if (offset + length > size) throw new Error('member data runs past the end of the archive')
    const out = Buffer.allocUnsafe(length)
    for (let got = 0; got < length; ) {
      const n = readSync(fd, out, got, length - got, offset + got)
      if (n === 0) throw new Error('archive ended early (truncated while being read?)')
      got += n
    }
    return out
  }
}

function toMember(entry: yauzl.Entry, readAt: ReadAt): Member {
  const raw = entry.fileName as unknown as Buffer
  const name = displayName(raw)
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT
  // Unix modes sit in the high half of the external attributes only when made on Unix (host 3).
  const unix = entry.versionMadeBy >>> 8 === 3
  const kind = name.endsWith('/') ? 'dir' : unix && mode === S_IFLNK ? 'symlink' : 'file'
  const member: Member = {
    name,
    kind,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    content: () => storedContent(entry, readAt),
  }
  if (entry.isEncrypted()) member.unreadable = 'encrypted member'
  return member
}

/** A member's content: its stored bytes, inflated; capped at the declared size, which it must match. */
async function* storedContent(entry: yauzl.Entry, readAt: ReadAt): AsyncGenerator<Buffer> {
  const raw = readAt(
    localDataStart(readAt, entry.relativeOffsetOfLocalHeader),
    entry.compressedSize,
  )
  let out: Buffer
  if (entry.compressionMethod === 0) out = raw
  else if (entry.compressionMethod === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) })
    } catch (err) {
      const e = err as { code?: string; message?: string }
      throw new Error(
        e.code === 'ERR_BUFFER_TOO_LARGE'
          ? `inflates to more than the declared ${entry.uncompressedSize} bytes`
          : `bad deflate data: ${e.message}`,
      )
    }
  } else throw new Error(`unsupported compression method ${entry.compressionMethod}`)
  if (out.length !== entry.uncompressedSize) {
    throw new Error(`inflated to ${out.length} bytes, header says ${entry.uncompressedSize}`)
  }
  yield out
}

const LOCAL_HEADER_SIG = 0x04034b50

/** Where a member's stored bytes start: after its 30-byte local header, name and extra field. */
function localDataStart(readAt: ReadAt, offset: number): number {
  let header: Buffer
  try {
    header = readAt(offset, 30)
  } catch {
    throw new Error(`no local file header at offset ${offset}`)
  }
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIG) {
    throw new Error(`no local file header at offset ${offset}`)
  }
  return offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
}
