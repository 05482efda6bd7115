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
  /** The whole content: when it fit in the first chunk (most files), or when `keepWhole` asked. */
  content?: Buffer
  /** Gives back the memory budget held for a kept whole content (absent: nothing held). */
  release?: () => void
}

export interface ReadOptions {
  /** Hash kinds for a file of this type (decided from the first chunk). */
  kindsFor(type: FileType): ReadonlySet<HashKind>
  /** A reusable CHUNK_BYTES buffer owned by the caller. */
  chunk: Buffer
  signal?: AbortSignal
  /**
   * For a file larger than one chunk: when it resolves to a release function, the whole file is
   * read into one buffer (held under the caller's memory budget) and kept as `content`, so it is
   * not read a second time for parsing. Undefined: streamed, never held whole.
   */
  keepWhole?(type: FileType, size: number): Promise<(() => void) | undefined>
}

/**
 * One pass over a file: hashes and the magic-byte type. Small files (one chunk) come back whole;
 * a larger one is streamed through the chunk, or read into one buffer when `keepWhole` grants it.
 * The walk's lstat said it is a regular file; opening with O_NOFOLLOW|O_NONBLOCK makes a later
 * swap fail, not hang.
 */
export async function hashFile(fsPath: FsPath, o: ReadOptions): Promise<HashedFile> {
  const { chunk, signal } = o
  const fd = await openForRead(fsPath)
  let release: (() => void) | undefined
  try {
    let n = 0
    while (n < chunk.length) {
      const got = await readFd(fd, chunk, n, chunk.length - n, null)
      if (got === 0) break
      n += got
    }
    const type = fileType(chunk.subarray(0, n))
    const hasher = new Hasher(o.kindsFor(type))
    if (n < chunk.length) {
      const content = Buffer.from(chunk.subarray(0, n))
      hasher.update(content)
      return { size: n, type, hashes: hasher.digest(), content }
    }
    const statSize = (await fstatFd(fd)).size
    release = statSize > n ? await o.keepWhole?.(type, statSize) : undefined
    if (release) {
      const whole = Buffer.allocUnsafe(statSize)
      chunk.copy(whole, 0, 0, n)
      let off = n
      while (off < statSize) {
        signal?.throwIfAborted()
        const got = await readFd(fd, whole, off, Math.min(CHUNK_BYTES * 8, statSize - off), off)
        if (got === 0) break
        off += got
      }
      const extra = off === statSize ? await readFd(fd, chunk, 0, chunk.length, off) : 0
      if (extra === 0) {
        const content = off === statSize ? whole : whole.subarray(0, off)
        hasher.update(content)
        const r = { size: off, type, hashes: hasher.digest(), content, release }
        release = undefined
        return r
      }
      // It grew while being read: hash what was read and stream the rest.
      hasher.update(whole.subarray(0, off))
      hasher.update(chunk.subarray(0, extra))
      return await streamRest(fd, hasher, off + extra, type, o)
    }
    hasher.update(chunk.subarray(0, n))
    return await streamRest(fd, hasher, n, type, o)
  } finally {
    release?.()
    await closeFd(fd)
  }
}

async function streamRest(
  fd: number,
  hasher: Hasher,
  done: number,
  type: FileType,
  o: ReadOptions,
): Promise<HashedFile> {
  let size = done
  for (;;) {
    o.signal?.throwIfAborted()
    const n = await readFd(fd, o.chunk, 0, o.chunk.length, size)
    if (n === 0) break
    hasher.update(o.chunk.subarray(0, n))
    size += n
  }
  return { size, type, hashes: hasher.digest() }
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
