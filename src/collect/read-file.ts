import { close, constants, fstat, open, read, type Stats } from 'node:fs'
import { promisify } from 'node:util'
import type { FileType, Hashes } from '../core/artifact.js'
import { InputError } from '../core/errors.js'
import { fileType } from './file-type.js'
import { Hasher, type HashKind } from './hash.js'

/** Read size for hashing and for whole-file reads. */
export const CHUNK_BYTES = 1024 * 1024

// Plain descriptors (not FileHandle): a scan opens every file once, and the lighter API is
// measurably faster over tens of thousands of small files.
const openFd = promisify(open)
const closeFd = promisify(close)
const fstatFd = promisify(fstat)
const readFd = (fd: number, buf: Buffer, off: number, len: number, pos: number | null) =>
  new Promise<number>((res, rej) =>
    read(fd, buf, off, len, pos, (err, n) => (err ? rej(err) : res(n))),
  )

// O_NOFOLLOW: a file swapped for a symlink after the walk is not followed. O_NONBLOCK: a file
// swapped for a FIFO does not block open() (its read then fails). Both are 0 where missing.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

export type FsPath = string | Buffer

/** Opens a file for reading without following a symlink or blocking on a FIFO. */
export function openForRead(fsPath: FsPath): Promise<number> {
  return openFd(fsPath, OPEN_FLAGS)
}

export { closeFd }

/** Opens a regular file; anything else (it changed since the walk) is an InputError. */
export async function openRegular(fsPath: FsPath): Promise<{ fd: number; stat: Stats }> {
  const fd = await openForRead(fsPath)
  try {
    const stat = await fstatFd(fd)
    if (!stat.isFile()) throw new InputError('no longer a regular file')
    return { fd, stat }
  } catch (err) {
    await closeFd(fd)
    throw err
  }
}

export interface HashedFile {
  size: number
  type: FileType
  hashes: Hashes
  /** The whole content when it fit in the first chunk (most files). */
  content?: Buffer
}

/**
 * One streaming pass over a file: hashes and the magic-byte type, never holding more than one
 * chunk. `chunk` is a reusable buffer of CHUNK_BYTES owned by the caller. The walk's lstat said
 * it is a regular file; opening with O_NOFOLLOW|O_NONBLOCK makes a later swap fail, not hang.
 */
export async function hashFile(
  fsPath: FsPath,
  kinds: ReadonlySet<HashKind>,
  chunk: Buffer,
  signal?: AbortSignal,
): Promise<HashedFile> {
  const fd = await openForRead(fsPath)
  try {
    const hasher = new Hasher(kinds)
    let size = 0
    let type: FileType | undefined
    for (;;) {
      signal?.throwIfAborted()
      const n = await readFd(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      const view = chunk.subarray(0, n)
      type ??= fileType(view)
      hasher.update(view)
      size += n
    }
    // Only one read returned data when size fits a chunk, so the chunk still holds the file.
    const content = size <= chunk.length ? Buffer.from(chunk.subarray(0, size)) : undefined
    return { size, type: type ?? 'other', hashes: hasher.digest(), ...(content && { content }) }
  } finally {
    await closeFd(fd)
  }
}

/** Reads up to `size` bytes of a file whole (the caller holds the memory budget for it). */
export async function readWhole(fsPath: FsPath, size: number): Promise<Buffer> {
  const fd = await openForRead(fsPath)
  try {
    const out = Buffer.allocUnsafe(size)
    let off = 0
    while (off < size) {
      const n = await readFd(fd, out, off, Math.min(CHUNK_BYTES * 8, size - off), off)
      if (n === 0) break
      off += n
    }
    return off === size ? out : out.subarray(0, off)
  } finally {
    await closeFd(fd)
  }
}
