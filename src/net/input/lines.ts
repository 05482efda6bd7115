import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'

/** Longest accepted log line; longer lines are skipped and reported as malformed. */
export const MAX_LINE_BYTES = 1024 * 1024

/** Called per line with the bytes `buf[start, end)` (no newline, no trailing CR) and its 1-based number. */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void

export interface LineStats {
  lines: number
  /** Lines over MAX_LINE_BYTES, skipped. */
  tooLong: number[]
}

/** True when the file starts with the gzip magic bytes. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await fh.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/** The raw (decompressed when gzip) byte stream of a file. */
export async function openLog(
  path: string,
  start = 0,
  end?: number,
): Promise<NodeJS.ReadableStream> {
  const gz = await isGzip(path)
  const raw = createReadStream(path, { highWaterMark: 1 << 20, start: gz ? 0 : start, end })
  return gz ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw
}

/**
 * Streams a file (plain or gzip) line by line without building strings. Lines longer than
 * MAX_LINE_BYTES are skipped and listed in the stats. Never loads the whole file.
 */
export async function readLines(
  stream: NodeJS.ReadableStream,
  onLine: LineHandler,
  firstLine = 1,
): Promise<LineStats> {
  const stats: LineStats = { lines: 0, tooLong: [] }
  let carry: Buffer | undefined
  let lineNo = firstLine
  let skipping = false
  for await (const piece of stream as AsyncIterable<Buffer>) {
    let buf = piece
    if (carry) {
      buf = Buffer.concat([carry, piece])
      carry = undefined
    }
    let pos = 0
    for (;;) {
      const nl = buf.indexOf(10, pos)
      if (nl < 0) break
      if (skipping) skipping = false
      else if (nl - pos > MAX_LINE_BYTES) stats.tooLong.push(lineNo)
      else emit(buf, pos, nl, lineNo, onLine)
      lineNo++
      pos = nl + 1
    }
    if (pos < buf.length) {
      if (skipping) continue
      if (buf.length - pos > MAX_LINE_BYTES) {
        stats.tooLong.push(lineNo)
        skipping = true
      } else carry = buf.subarray(pos)
    }
  }
  if (carry && !skipping && carry.length > 0) {
    emit(carry, 0, carry.length, lineNo, onLine)
    lineNo++
  } else if (skipping) lineNo++
  stats.lines = lineNo - firstLine
  return stats
}

/** Read size of the plain-file path; lines up to MAX_LINE_BYTES always fit. */
const READ_BYTES = 4 * MAX_LINE_BYTES

/**
 * readLines for a plain (not gzip) file or a byte range of one: reads into one reused buffer, so
 * nothing is allocated per chunk or per line. `end` is exclusive.
 */
export async function readPlainLines(
  path: string,
  onLine: LineHandler,
  firstLine = 1,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): Promise<LineStats> {
  const stats: LineStats = { lines: 0, tooLong: [] }
  const fh = await open(path, 'r')
  const buf = Buffer.allocUnsafe(READ_BYTES)
  let filled = 0
  let pos = start
  let lineNo = firstLine
  let skipping = false
  try {
    for (;;) {
      const want = Math.min(buf.length - filled, end - pos)
      const { bytesRead } = want > 0 ? await fh.read(buf, filled, want, pos) : { bytesRead: 0 }
      pos += bytesRead
      const stop = filled + bytesRead
      if (bytesRead === 0) {
        if (filled > 0 && !skipping) emit(buf, 0, filled, lineNo, onLine)
        if (filled > 0 || skipping) lineNo++
        break
      }
      let at = 0
      for (;;) {
        const nl = buf.indexOf(10, at)
        if (nl < 0 || nl >= stop) break
        if (skipping) skipping = false
        else if (nl - at > MAX_LINE_BYTES) stats.tooLong.push(lineNo)
        else emit(buf, at, nl, lineNo, onLine)
        lineNo++
        at = nl + 1
      }
      if (skipping) filled = 0
      else if (stop - at > MAX_LINE_BYTES) {
        stats.tooLong.push(lineNo)
        skipping = true
        filled = 0
      } else {
        buf.copyWithin(0, at, stop)
        filled = stop - at
      }
    }
  } finally {
    await fh.close()
  }
  stats.lines = lineNo - firstLine
  return stats
}

function emit(buf: Buffer, start: number, end: number, line: number, onLine: LineHandler): void {
  if (end > start && buf[end - 1] === 13) end--
  onLine(buf, start, end, line)
}
