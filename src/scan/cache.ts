import { createHash } from 'node:crypto'
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../core/errors.js'
import type { Problem } from '../core/types.js'
import type { EntrySummary } from './entry-result.js'
import {
  FIELD,
  fieldBounds,
  logLines,
  parseSummary,
  type ResultLog,
  type StatKey,
} from './result-log.js'

const FORMAT = 5

/** `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'vigil')
}

/** Where an earlier scan stored a file's result: its stat key, its line, its summary's bytes. */
interface Indexed {
  k: StatKey
  offset: number
  summaryStart: number
  summaryEnd: number
  /** The summary's text when short (most are ~100 bytes), kept from the index pass. */
  summary?: string
}

/** Summaries up to this size are kept in the index: a hit then needs no read of its own. */
const KEEP_SUMMARY_BYTES = 512

function sameKey(a: StatKey, b: StatKey): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3] && a[4] === b[4]
}

/**
 * Per-file results of earlier scans of the same targets, keyed by path and (size, mtime, ctime,
 * inode). One file per set of targets, in ResultLog format (a header line with the format and
 * fingerprint, then one line per file on disk). Opening it reads each line's key, stat key and
 * where its summary is; a hit reads and parses only that summary, and the scan refers to the line
 * where it is (its offset) instead of copying it. After the scan, `commit` writes the next file
 * (the scan's new lines, then the old lines it replayed) and renames it over this one, unless
 * nothing changed. The header's fingerprint (Vigil, plugin versions, limits, intel content) is
 * checked as a whole: any change starts from empty, so new intel re-evaluates every file. A
 * damaged file is ignored with a warning.
 */
export class ScanCache {
  readonly #old: Map<string, Indexed>
  #fd: number | undefined
  readonly #problem: (p: Problem) => void
  #hits = 0
  #misses = 0
  #damaged = false

  private constructor(
    readonly file: string,
    readonly fingerprint: string,
    old: Map<string, Indexed>,
    problem: (p: Problem) => void,
  ) {
    this.#old = old
    this.#problem = problem
    this.#fd = old.size > 0 ? openSync(file, 'r') : undefined
  }

  /** The cache file of a set of targets (it may not exist). */
  static fileFor(dir: string, targets: readonly string[]): string {
    const name = createHash('sha256').update(JSON.stringify(targets)).digest('hex').slice(0, 24)
    return join(dir, `scan-${name}.ndjson`)
  }

  static async open(
    dir: string,
    targets: readonly string[],
    fingerprint: string,
    problem: (p: Problem) => void,
  ): Promise<ScanCache> {
    const file = ScanCache.fileFor(dir, targets)
    let old: Map<string, Indexed> | undefined
    try {
      old = await indexCache(file, fingerprint)
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') {
        problem({
          stage: 'cache',
          path: file,
          message: `cache file is corrupt (${errorMessage(err)}); ignored, a full scan runs`,
          level: 'warning',
        })
      }
    }
    return new ScanCache(file, fingerprint, old ?? new Map(), problem)
  }

  /** The header line of a log that can become this cache's next file. */
  get header(): string {
    return JSON.stringify({ format: FORMAT, fingerprint: this.fingerprint })
  }

  /** The stored summary of an unchanged file, and the offset of its line in this cache's file. */
  get(fsPath: Buffer, key: StatKey): { summary: EntrySummary; offset: number } | undefined {
    const hit = this.#old.get(fsPath.toString('latin1'))
    if (!hit || this.#fd === undefined || !sameKey(hit.k, key)) {
      this.#misses++
      return undefined
    }
    let summary: EntrySummary | undefined
    try {
      const text = hit.summary ?? this.#read(hit.summaryStart, hit.summaryEnd)
      summary = text === undefined ? undefined : parseSummary(text)
    } catch {
      summary = undefined
    }
    if (!summary) {
      this.#misses++
      if (!this.#damaged) {
        this.#damaged = true
        this.#problem({
          stage: 'cache',
          path: this.file,
          message: 'cache file has a damaged entry; its file is scanned again',
          level: 'warning',
        })
      }
      return undefined
    }
    this.#hits++
    return { summary, offset: hit.offset }
  }

  /** The bytes [start, end) of the old file as text; undefined when the file ends before. */
  #read(start: number, end: number): string | undefined {
    const text = Buffer.allocUnsafe(end - start)
    const got = readSync(this.#fd!, text, 0, text.length, start)
    return got === text.length ? text.toString('utf8') : undefined
  }

  /** False when every file was a hit and none disappeared: the file on disk is already right. */
  get changed(): boolean {
    return this.#misses > 0 || this.#hits !== this.#old.size
  }

  /** The lines of this cache's file at `offsets` (in file order), newline excluded. */
  async *lines(offsets: ReadonlySet<number>): AsyncGenerator<Buffer> {
    if (offsets.size === 0) return
    for await (const { offset, line } of logLines(this.file)) if (offsets.has(offset)) yield line
  }

  /**
   * When anything changed: appends the old lines the scan replayed (`offsets`) to `log` (the
   * scan's own lines, written with `header`) and renames it over this cache's file, so a reader
   * never sees half of it. Otherwise the file already holds every result and `log` is removed.
   */
  async commit(log: ResultLog, offsets: ReadonlySet<number>): Promise<void> {
    if (this.changed) {
      for await (const line of this.lines(offsets)) log.appendLine(line)
      log.close()
      this.close()
      await rename(log.file, this.file)
    } else {
      log.close()
      this.close()
      await rm(log.file, { force: true })
    }
  }

  /** Lets go of the old file (idempotent). */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
  }
}

/** Key, stat key and places of every line of a cache file; empty when its fingerprint differs. */
async function indexCache(file: string, fingerprint: string): Promise<Map<string, Indexed>> {
  const out = new Map<string, Indexed>()
  // Most files have the same few summaries (no finding, one type): one string each.
  const texts = new Map<string, string>()
  let header = true
  for await (const { offset, line } of logLines(file)) {
    if (header) {
      const h = JSON.parse(line.toString('utf8')) as { format?: unknown; fingerprint?: unknown }
      if (h.format !== FORMAT || typeof h.fingerprint !== 'string') throw new Error('bad header')
      if (h.fingerprint !== fingerprint) return out
      header = false
      continue
    }
    const b = fieldBounds(line)
    const key = b && (JSON.parse(line.toString('utf8', ...b[FIELD.key]!)) as unknown)
    const k = b && (JSON.parse(line.toString('utf8', ...b[FIELD.stat]!)) as unknown)
    if (!b || typeof key !== 'string' || !validKey(k)) throw new Error('bad entry')
    const [start, end] = b[FIELD.summary]!
    const entry: Indexed = { k, offset, summaryStart: offset + start, summaryEnd: offset + end }
    if (end - start <= KEEP_SUMMARY_BYTES) {
      const text = line.toString('utf8', start, end)
      const kept = texts.get(text)
      if (kept === undefined) texts.set(text, text)
      entry.summary = kept ?? text
    }
    out.set(key, entry)
  }
  if (header) throw new Error('empty file')
  return out
}

function validKey(k: unknown): k is StatKey {
  return Array.isArray(k) && k.length === 5 && k.every((n) => typeof n === 'number')
}

/** Names, sizes and mtimes of a directory's files: changes when a trusted root is added or edited. */
export function directoryIdentity(dir: string | undefined): string | undefined {
  if (!dir) return undefined
  try {
    const entries = readdirSync(dir).sort()
    return [
      dir,
      ...entries.map((n) => {
        const st = statSync(join(dir, n))
        return `${n}:${st.size}:${st.mtimeMs}`
      }),
    ].join('\0')
  } catch {
    return `${dir}\0unreadable`
  }
}

/** What makes cached results stale as a whole: Vigil's version, every plugin, and the intel. */
export function cacheFingerprint(parts: {
  version: string
  plugins: readonly { name: string; version: number }[]
  /** Intel.fingerprint: its content and the hash kinds it makes the collector compute. */
  intel: string
  limits: unknown
  /** Recording embedded strings gives a different result per file. */
  listFiles?: boolean
  /** Signature states depend on the trusted roots: see directoryIdentity(). */
  trustStore?: string
}): string {
  const h = createHash('sha256')
  h.update(parts.version)
  if (parts.trustStore) h.update(`\0trust:${parts.trustStore}`)
  if (parts.listFiles) h.update('\0list-files')
  for (const p of parts.plugins) h.update(`\0${p.name}@${p.version}`)
  h.update(`\0${JSON.stringify(parts.limits)}\0${parts.intel}`)
  return h.digest('hex')
}
