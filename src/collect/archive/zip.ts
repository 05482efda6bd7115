import { closeSync, readSync } from 'node:fs'
import { Readable } from 'node:stream'
import { inflateRawSync } from 'node:zlib'
import yauzl from 'yauzl'
import { displayName } from '../names.js'
import { openFd } from '../read-file.js'
import type { ArchiveSource, Member } from './member.js'

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
/** Largest output buffer allocated up front for a member (a header may lie about its size). */
const MAX_INFLATE_CHUNK = 8 * 1024 * 1024

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
    try {
      this.readAt(position, length).copy(buffer, offset)
    } catch (err) {
      callback(err as Error)
      return
    }
    callback(null, length)
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
  // Two readers, two windows: the central directory and the members are read in turns, from
  // different parts of the file.
  const readAt = fileReader(fd, size)
  try {
    const zip = await yauzl.fromRandomAccessReaderPromise(
      new BlockingFileReader(fd, fileReader(fd, size)),
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

/** Reads up to this size are served from a read-ahead window of WINDOW_BYTES. */
const SMALL_READ_BYTES = 64 * 1024
const WINDOW_BYTES = 256 * 1024

/**
 * Positioned, blocking reads (a scan thread does nothing else meanwhile: see read-file.ts). The
 * central directory is read one entry at a time (two small reads each) and members mostly lie in
 * file order, so small reads come from a window read ahead: one system call per window instead of
 * two or three per member. A window is never reused, as callers keep slices of it.
 */
function fileReader(fd: number, size: number): ReadAt {
  let window: Buffer = Buffer.alloc(0)
  let windowStart = 0
  const readFully = (out: Buffer, position: number) => {
    for (let got = 0; got < out.length; ) {
      const n = readSync(fd, out, got, out.length - got, position + got)
      if (n === 0) throw new Error('archive ended early (truncated while being read?)')
      got += n
    }
    return out
  }
  return (offset, length) => {
    if (offset + length > size) throw new Error('member data runs past the end of the archive')
    if (length > SMALL_READ_BYTES) return readFully(Buffer.allocUnsafe(length), offset)
    if (offset < windowStart || offset + length > windowStart + window.length) {
      windowStart = offset
      window = readFully(Buffer.allocUnsafe(Math.min(WINDOW_BYTES, size - offset)), offset)
    }
    return window.subarray(offset - windowStart, offset - windowStart + length)
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
      const size = Math.max(entry.uncompressedSize, 1)
      // One output chunk of the declared size (capped) instead of 16 KiB pieces joined at the end.
      const chunkSize = Math.max(64, Math.min(size, MAX_INFLATE_CHUNK))
      out = inflateRawSync(raw, { maxOutputLength: size, chunkSize })
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
