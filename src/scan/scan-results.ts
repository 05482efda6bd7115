import { mkdirSync, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { BinarySummary, Problem } from '../core/types.js'
import type { ScanCache } from './cache.js'
import type { EntrySummary, FileRecord, StoredEntry } from './entry-result.js'
import { arrayField, FIELD, ResultLog, type StatKey } from './result-log.js'

/**
 * What a scan has found so far. The summaries (components, findings, problems, counts) are kept in
 * memory; binary summaries and file records, which grow with the tree, go to a ResultLog on disk
 * and are read back at the end. The log is written next to the cache file and becomes the next
 * cache (`settle`), or, with no cache, into a private temporary directory removed by `settle`.
 */
export class ScanResults {
  readonly components: EntrySummary['components'] = []
  readonly findings: EntrySummary['findings'] = []
  readonly problems: Problem[] = []
  archives = 0
  symlinks = 0
  fileCount = 0
  readonly #log: ResultLog
  readonly #cache: ScanCache | undefined
  readonly #tempDir: string | undefined
  /** Offsets of the cache file's lines this scan replayed (read from there, not copied). */
  readonly #reused = new Set<number>()
  #settled = false

  constructor(cache: ScanCache | undefined) {
    this.#cache = cache
    if (cache) {
      mkdirSync(dirname(cache.file), { recursive: true })
      this.#log = ResultLog.create(`${cache.file}.${process.pid}.tmp`, cache.header)
    } else {
      this.#tempDir = mkdtempSync(join(tmpdir(), 'vigil-scan-'))
      this.#log = ResultLog.create(join(this.#tempDir, 'results.ndjson'), '{}')
    }
  }

  /** Records a file's result; `key` and `stat` identify the file on disk for the cache. */
  add(key: string, stat: StatKey, e: StoredEntry): void {
    this.#log.append(key, stat, e)
    this.#merge(e.summary)
  }

  /** Records a result replayed from the cache: its summary, and where its line is there. */
  addCached(summary: EntrySummary, offset: number): void {
    this.#reused.add(offset)
    this.#merge(summary)
  }

  #merge(s: EntrySummary): void {
    for (const c of s.components) this.components.push(c)
    for (const f of s.findings) this.findings.push(f)
    for (const p of s.problems) this.problems.push(p)
    this.archives += s.archives
    this.symlinks += s.symlinks
    this.fileCount += s.fileCount
  }

  /** Every binary summary, read back from disk. */
  async binaries(): Promise<BinarySummary[]> {
    const out: BinarySummary[] = []
    for await (const text of this.#column(FIELD.binaries)) {
      for (const b of JSON.parse(text) as BinarySummary[]) out.push(b)
    }
    return out
  }

  /** Every file record, read back from disk on each call (one line's records at a time). */
  async *files(): AsyncGenerator<FileRecord> {
    for await (const text of this.#column(FIELD.files)) yield* JSON.parse(text) as FileRecord[]
  }

  /** One column's non-empty JSON arrays: the scan's new lines, then the cache lines it replayed. */
  async *#column(field: typeof FIELD.binaries | typeof FIELD.files): AsyncGenerator<string> {
    yield* this.#log.column(field)
    for await (const line of this.#cache?.lines(this.#reused) ?? []) {
      const text = arrayField(line, field)
      if (text !== undefined) yield text
    }
  }

  /**
   * Ends the log: with a cache and `complete` (the scan finished), it becomes the cache file;
   * otherwise it is removed. Problems saving the cache are reported, not thrown.
   */
  async settle(complete: boolean, problem: (p: Problem) => void): Promise<void> {
    if (this.#settled) return
    this.#settled = true
    if (this.#tempDir) {
      this.#log.close()
      await rm(this.#tempDir, { recursive: true, force: true })
      return
    }
    const cache = this.#cache!
    try {
      if (complete) await cache.commit(this.#log, this.#reused)
      else {
        this.#log.close()
        cache.close()
        await rm(this.#log.file, { force: true })
      }
    } catch (err) {
      this.#log.close()
      cache.close()
      await rm(this.#log.file, { force: true })
      problem({
        stage: 'cache',
        path: cache.file,
        message: `cache not saved: ${(err as Error).message}`,
        level: 'warning',
      })
    }
  }
}
