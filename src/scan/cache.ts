import { createHash } from 'node:crypto'
import { closeSync, openSync, readdirSync, readSync, type Stats, statSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../core/errors.js'
import type { Problem } from '../core/types.js'
import type { EntrySummary } from './entry-result.js'
import { FIELD, fieldBounds, logLines, parseSummary, type StatKey, statKey } from './result-log.js'

const FORMAT = 4

/** `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'vigil')
}

/** Where an earlier scan stored a file's result: its stat key and its line in the old file. */
interface Indexed {
  k: StatKey
  offset: number
  length: number
}

function sameKey(a: StatKey, b: StatKey): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]
}

/**
 * Per-file results of earlier scans of the same targets, keyed by path and (size, mtime, ctime,
 * inode). One file per set of targets: a ResultLog (header line with the format and fingerprint,
 * then one line per file on disk). Opening it reads only each line's key and stat key; a hit reads
 * its line back, parses only its summary, and hands the line on as it is to the new scan's log,
 * which replaces this file atomically after the scan (`commit`), with exactly the files that scan
 * saw. The header's fingerprint (Vigil, plugin versions, limits, intel content) is checked as a
 * whole: any change starts from empty, so new intel re-evaluates every file. A damaged file is
 * ignored with a warning.
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

  static async open(
    dir: string,
    targets: readonly string[],
    fingerprint: string,
    problem: (p: Problem) => void,
  ): Promise<ScanCache> {
    const name = createHash('sha256').update(JSON.stringify(targets)).digest('hex').slice(0, 24)
    const file = join(dir, `scan-${name}.ndjson`)
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

  /** The stored summary and whole line of an unchanged file. */
  get(fsPath: Buffer, stat: Stats): { summary: EntrySummary; line: Buffer } | undefined {
    const hit = this.#old.get(fsPath.toString('latin1'))
    if (!hit || this.#fd === undefined || !sameKey(hit.k, statKey(stat))) {
      this.#misses++
      return undefined
    }
    const line = Buffer.allocUnsafe(hit.length)
    const got = readSync(this.#fd, line, 0, hit.length, hit.offset)
    const b = got === hit.length ? fieldBounds(line) : undefined
    const summary = b && parseSummary(line.toString('utf8', ...b[FIELD.summary]!))
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
    return { summary, line }
  }

  /** False when every file was a hit and none disappeared: the file on disk is already right. */
  get changed(): boolean {
    return this.#misses > 0 || this.#hits !== this.#old.size
  }

  /**
   * Makes `log` (closed, written with `header`) the cache file when anything changed (rename: a
   * reader never sees half), else removes it; either way the old file is let go.
   */
  async commit(log: string): Promise<void> {
    this.close()
    if (this.changed) await rename(log, this.file)
    else await rm(log, { force: true })
  }

  /** Lets go of the old file (idempotent). */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd)
    this.#fd = undefined
  }
}

/** Key, stat key and place of every line of a cache file; empty when its fingerprint differs. */
async function indexCache(file: string, fingerprint: string): Promise<Map<string, Indexed>> {
  const out = new Map<string, Indexed>()
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
    if (typeof key !== 'string' || !validKey(k)) throw new Error('bad entry')
    out.set(key, { k, offset, length: line.length })
  }
  if (header) throw new Error('empty file')
  return out
}

function validKey(k: unknown): k is StatKey {
  return Array.isArray(k) && k.length === 4 && k.every((n) => typeof n === 'number')
}

/** What makes cached results stale as a whole: Vigil's version, every plugin, and the intel. */
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
