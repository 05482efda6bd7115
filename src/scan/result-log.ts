import { closeSync, openSync, writeSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { EntrySummary, StoredEntry } from './entry-result.js'

/**
 * (size, mtime, ctime, inode, resources beside it): a file on disk counts as unchanged while all
 * five are equal. The last is 1 when its directory has a `resources`/`Resources` entry, which the
 * Electron cataloger's result depends on (Artifact.resourcesBeside).
 */
export type StatKey = [size: number, mtimeMs: number, ctimeMs: number, ino: number, layout: 0 | 1]

export function statKey(
  s: { size: number; mtimeMs: number; ctimeMs: number; ino: number },
  resourcesBeside: boolean,
): StatKey {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino, resourcesBeside ? 1 : 0]
}

/** The fields of a log line, in order; separated by tabs (JSON text never holds a raw tab). */
export const FIELD = { key: 0, stat: 1, summary: 2, binaries: 3, files: 4 } as const
const FIELDS = 5
const TAB = 9
const NEWLINE = 10
/** Lines are gathered in a buffer of this many bytes before one write. */
const WRITE_BYTES = 1024 * 1024

/**
 * The per-file results of one scan, on disk, so that what grows with the tree (file records and
 * binary summaries) does not stay in the main thread's memory. After a header line, one line per
 * file on disk, appended as its result arrives:
 *
 *     JSON(key) \t JSON(statKey) \t JSON(summary) \t JSON(binaries) \t JSON(files)
 *
 * The key is the file's path on disk (latin1 of its bytes). Binary summaries and file records
 * are read back once the scan is done (`column`); with a cache, the log becomes the next cache
 * file (ScanCache). Writes are synchronous and batched: the main thread only appends text.
 */
export class ResultLog {
  readonly #fd: number
  readonly #buf = Buffer.allocUnsafe(WRITE_BYTES)
  #used = 0
  #closed = false

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.#fd = fd
  }

  /** A new log at `file` (created or truncated, owner-only), starting with `header`. */
  static create(file: string, header: string): ResultLog {
    const log = new ResultLog(file, openSync(file, 'w', 0o600))
    log.#write(`${header}\n`)
    return log
  }

  append(key: string, stat: StatKey, e: StoredEntry): void {
    this.#write(
      `${JSON.stringify(key)}\t${JSON.stringify(stat)}\t${JSON.stringify(e.summary)}\t${e.binaries}\t${e.files}\n`,
    )
  }

  /** A line exactly as an earlier log stored it (a cache hit), newline excluded; copied here. */
  appendLine(line: Buffer): void {
    if (line.length + 1 > this.#buf.length - this.#used) this.flush()
    if (line.length + 1 > this.#buf.length) {
      writeAll(this.#fd, line)
      writeAll(this.#fd, Buffer.of(NEWLINE))
      return
    }
    this.#used += line.copy(this.#buf, this.#used)
    this.#buf[this.#used++] = NEWLINE
  }

  flush(): void {
    if (this.#used === 0) return
    writeAll(this.#fd, this.#buf.subarray(0, this.#used))
    this.#used = 0
  }

  /** Flushes and closes the file (idempotent); the file stays. */
  close(): void {
    if (this.#closed) return
    this.flush()
    this.#closed = true
    closeSync(this.#fd)
  }

  /** The non-empty JSON arrays of one column (binaries or files), line by line, from the file. */
  async *column(field: typeof FIELD.binaries | typeof FIELD.files): AsyncGenerator<string> {
    this.flush()
    let header = true
    for await (const { line } of logLines(this.file)) {
      if (header) {
        header = false
        continue
      }
      const text = arrayField(line, field)
      if (text !== undefined) yield text
    }
  }

  #write(text: string): void {
    const bytes = Buffer.byteLength(text)
    if (bytes > this.#buf.length - this.#used) this.flush()
    if (bytes > this.#buf.length) writeAll(this.#fd, Buffer.from(text, 'utf8'))
    else this.#used += this.#buf.write(text, this.#used, 'utf8')
  }
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off)
}

/** Start and end of each field of a line; undefined unless it has exactly FIELDS fields. */
export function fieldBounds(line: Buffer): [number, number][] | undefined {
  const out: [number, number][] = []
  let start = 0
  for (let i = 0; i < FIELDS - 1; i++) {
    const tab = line.indexOf(TAB, start)
    if (tab < 0) return undefined
    out.push([start, tab])
    start = tab + 1
  }
  if (line.indexOf(TAB, start) >= 0) return undefined
  out.push([start, line.length])
  return out
}

/** A JSON-array field of a line as text; undefined when empty (`[]`) or the line is no entry. */
export function arrayField(line: Buffer, field: number): string | undefined {
  const b = fieldBounds(line)?.[field]
  if (!b || (b[1] - b[0] === 2 && line[b[0]] === 0x5b && line[b[0] + 1] === 0x5d)) return undefined
  return line.toString('utf8', b[0], b[1])
}

/** Parses a stored summary; undefined when it is not one. */
export function parseSummary(text: string): EntrySummary | undefined {
  const x = JSON.parse(text) as Partial<EntrySummary> | null
  return x &&
    Array.isArray(x.components) &&
    Array.isArray(x.findings) &&
    Array.isArray(x.problems) &&
    typeof x.archives === 'number' &&
    typeof x.symlinks === 'number' &&
    typeof x.fileCount === 'number'
    ? (x as EntrySummary)
    : undefined
}

/**
 * The lines of a log file with their byte offsets, newline excluded, in 4 MiB reads, with no limit
 * on a line's length (a jar's entry may be megabytes). Faster than readline, whose line-break
 * regular expression cost a tenth of a rescan.
 */
export async function* logLines(file: string): AsyncGenerator<{ offset: number; line: Buffer }> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024)
    let carry: Buffer[] = []
    let carried = 0
    let base = 0
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      let at = 0
      for (
        let nl = buf.indexOf(NEWLINE, at);
        nl >= 0 && nl < bytesRead;
        nl = buf.indexOf(NEWLINE, at)
      ) {
        const part = buf.subarray(at, nl)
        const offset = base + at - carried
        yield { offset, line: carry.length > 0 ? Buffer.concat([...carry, part]) : part }
        carry = []
        carried = 0
        at = nl + 1
      }
      if (at < bytesRead) {
        carry.push(Buffer.from(buf.subarray(at, bytesRead)))
        carried += bytesRead - at
      }
      base += bytesRead
    }
    if (carry.length > 0) yield { offset: base - carried, line: Buffer.concat(carry) }
  } finally {
    await fh.close()
  }
}
