import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import type { FileType, Hashes } from '../core/artifact.js'
import { fileType } from './file-type.js'
import { Hasher, type HashKind, hashWhole } from './hash.js'

/** Read size for hashing and for whole-file reads. */
export const CHUNK_BYTES = 1024 * 1024

// O_NOFOLLOW: a file swapped for a symlink after the walk is not followed. O_NONBLOCK: a file
// swapped for a FIFO does not block open() (its read then fails). Both are 0 where missing.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

export type FsPath = string | Buffer

// Files are read with blocking calls. A scan thread does nothing else meanwhile, and over tens of
// thousands of small files the thread-pool round trips of the async calls (open, read, fstat,
// close: four per file, each a hand-off and a wake-up) cost more than the reads themselves.
/** Opens a file to read, never following a symlink nor blocking on a FIFO (see OPEN_FLAGS). */
export const openFd = (fsPath: FsPath) => openSync(fsPath, OPEN_FLAGS)
const readFd = (fd: number, buf: Buffer, off: number, len: number, pos: number | null) =>
  readSync(fd, buf, off, len, pos)

export interface HashedFile {
  size: number
  type: FileType
  hashes: Hashes
  /**
   * The whole content: when it fit in the first chunk (most files; then a view of the caller's
   * chunk, valid until the caller reuses it), or when `keepWhole` asked.
   */
  content?: Buffer
  /** Gives back the buffer and memory budget a kept whole content holds (absent: nothing held). */
  release?: () => void
}

/** A buffer lent for a whole file, and the function that gives it back. */
export interface Held {
  buf: Buffer
  release: () => void
}

export interface ReadOptions {
  /** Hash kinds for a file of this type (decided from the first chunk). */
  kindsFor(type: FileType): ReadonlySet<HashKind>
  /** A reusable CHUNK_BYTES buffer owned by the caller. */
  chunk: Buffer
  signal?: AbortSignal
  /**
   * For a file larger than one chunk: when it resolves to a buffer of `size` bytes (held under the
   * caller's memory budget) the whole file is read into it and kept as `content`, so it is not
   * read a second time for parsing; `release` gives the buffer back. Undefined: streamed, never
   * held whole.
   */
  keepWhole?(type: FileType, size: number): Promise<Held | undefined>
}

/**
 * One pass over a file: hashes and the magic-byte type. Small files (one chunk) come back whole;
 * a larger one is streamed through the chunk, or read into one buffer when `keepWhole` grants it.
 * The walk's lstat said it is a regular file; opening with O_NOFOLLOW|O_NONBLOCK makes a later
 * swap fail, not hang.
 */
export async function hashFile(fsPath: FsPath, o: ReadOptions): Promise<HashedFile> {
  const { chunk, signal } = o
  const fd = openFd(fsPath)
  let release: (() => void) | undefined
  try {
    let n = 0
    while (n < chunk.length) {
      const got = readFd(fd, chunk, n, chunk.length - n, null)
      if (got === 0) break
      n += got
    }
    const type = fileType(chunk.subarray(0, n))
    const kinds = o.kindsFor(type)
    if (n < chunk.length) {
      const content = chunk.subarray(0, n)
      return { size: n, type, hashes: hashWhole(kinds, content), content }
    }
    const statSize = fstatSync(fd).size
    const held = statSize > n ? await o.keepWhole?.(type, statSize) : undefined
    release = held?.release
    if (held) {
      const whole = held.buf
      chunk.copy(whole, 0, 0, n)
      let off = n
      while (off < statSize) {
        signal?.throwIfAborted()
        const got = readFd(fd, whole, off, Math.min(CHUNK_BYTES * 8, statSize - off), off)
        if (got === 0) break
        off += got
      }
      const extra = off === statSize ? readFd(fd, chunk, 0, chunk.length, off) : 0
      if (extra === 0) {
        const content = off === statSize ? whole : whole.subarray(0, off)
        const r = { size: off, type, hashes: hashWhole(kinds, content), content, release }
        release = undefined
        return r
      }
      // It grew while being read: hash what was read and stream the rest.
      const hasher = new Hasher(kinds)
      hasher.update(whole.subarray(0, off))
      hasher.update(chunk.subarray(0, extra))
      return streamRest(fd, hasher, off + extra, type, o)
    }
    const hasher = new Hasher(kinds)
    hasher.update(chunk.subarray(0, n))
    return streamRest(fd, hasher, n, type, o)
  } finally {
    release?.()
    closeSync(fd)
  }
}

function streamRest(
  fd: number,
  hasher: Hasher,
  done: number,
  type: FileType,
  o: ReadOptions,
): HashedFile {
  let size = done
  for (;;) {
    o.signal?.throwIfAborted()
    const n = readFd(fd, o.chunk, 0, o.chunk.length, size)
    if (n === 0) break
    hasher.update(o.chunk.subarray(0, n))
    size += n
  }
  return { size, type, hashes: hasher.digest() }
}

/** Reads up to `size` bytes of a file whole into `out` (lent by the caller, `size` bytes long). */
export function readWhole(fsPath: FsPath, out: Buffer): Buffer {
  const size = out.length
  const fd = openFd(fsPath)
  try {
    let off = 0
    while (off < size) {
      const n = readFd(fd, out, off, Math.min(CHUNK_BYTES * 8, size - off), off)
      if (n === 0) break
      off += n
    }
    return off === size ? out : out.subarray(0, off)
  } finally {
    closeSync(fd)
  }
}
