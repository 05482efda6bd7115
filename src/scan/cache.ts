import { createHash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Problem } from '../core/types.js'
import type { EntryResult } from './entry-result.js'

const FORMAT = 1

/** `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'vigil')
}

type StatKey = [size: number, mtimeMs: number, ctimeMs: number, ino: number]

interface CacheFile {
  format: typeof FORMAT
  fingerprint: string
  entries: Record<string, { k: StatKey; r: EntryResult }>
}

function statKey(s: Stats): StatKey {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino]
}

function sameKey(a: StatKey, b: StatKey): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]
}

/**
 * Per-file results of earlier scans of the same targets, keyed by path and (size, mtime, ctime,
 * inode). One JSON file per set of targets, replaced atomically after each scan with exactly the
 * files that scan saw. The fingerprint (Vigil, plugin versions, intel content) is checked as a
 * whole: any change starts from empty, so new intel re-evaluates every file. A file that cannot be
 * parsed is ignored with a warning.
 */
export class ScanCache {
  readonly #old: Map<string, { k: StatKey; r: EntryResult }>
  readonly #next = new Map<string, { k: StatKey; r: EntryResult }>()

  private constructor(
    readonly file: string,
    readonly fingerprint: string,
    old: Map<string, { k: StatKey; r: EntryResult }>,
  ) {
    this.#old = old
  }

  static async open(
    dir: string,
    targets: readonly string[],
    fingerprint: string,
    problem: (p: Problem) => void,
  ): Promise<ScanCache> {
    const name = createHash('sha256').update(JSON.stringify(targets)).digest('hex').slice(0, 24)
    const file = join(dir, `scan-${name}.json`)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      return new ScanCache(file, fingerprint, new Map())
    }
    const parsed = parseCache(text)
    if (!parsed) {
      problem({
        stage: 'cache',
        path: file,
        message: 'cache file is corrupt; ignored (a full scan runs)',
        level: 'warning',
      })
      return new ScanCache(file, fingerprint, new Map())
    }
    if (parsed.fingerprint !== fingerprint) return new ScanCache(file, fingerprint, new Map())
    return new ScanCache(file, fingerprint, new Map(Object.entries(parsed.entries)))
  }

  /** The stored result for an unchanged file. */
  get(fsPath: Buffer, stat: Stats): EntryResult | undefined {
    const key = fsPath.toString('latin1')
    const hit = this.#old.get(key)
    if (!hit || !sameKey(hit.k, statKey(stat))) return undefined
    this.#next.set(key, hit)
    return hit.r
  }

  put(fsPath: Buffer, stat: Stats, r: EntryResult): void {
    this.#next.set(fsPath.toString('latin1'), { k: statKey(stat), r })
  }

  /** Writes the entries seen in this scan (temp file + rename, so readers never see half). */
  async save(): Promise<void> {
    const doc: CacheFile = {
      format: FORMAT,
      fingerprint: this.fingerprint,
      entries: Object.fromEntries(this.#next),
    }
    await mkdir(join(this.file, '..'), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(doc))
    await rename(tmp, this.file)
  }
}

function parseCache(text: string): CacheFile | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof doc !== 'object' || doc === null) return undefined
  const d = doc as Partial<CacheFile>
  if (d.format !== FORMAT || typeof d.fingerprint !== 'string') return undefined
  if (typeof d.entries !== 'object' || d.entries === null) return undefined
  for (const e of Object.values(d.entries)) if (!validEntry(e)) return undefined
  return d as CacheFile
}

function validEntry(e: unknown): boolean {
  const x = e as { k?: unknown; r?: Partial<EntryResult> } | null
  if (!x || !Array.isArray(x.k) || x.k.length !== 4 || !x.k.every((n) => typeof n === 'number'))
    return false
  const r = x.r
  return (
    !!r &&
    Array.isArray(r.files) &&
    Array.isArray(r.components) &&
    Array.isArray(r.findings) &&
    Array.isArray(r.binaries) &&
    Array.isArray(r.problems) &&
    typeof r.archives === 'number' &&
    typeof r.symlinks === 'number'
  )
}

/** What makes cached results stale as a whole: Vigil's version, every plugin, and the intel. */
export function cacheFingerprint(parts: {
  version: string
  plugins: readonly { name: string; version: number }[]
  intel: unknown
  limits: unknown
  hashKinds: readonly string[]
  /** Listing files also records embedded strings: a different result per file. */
  listFiles?: boolean
}): string {
  const h = createHash('sha256')
  h.update(parts.version)
  if (parts.listFiles) h.update('\0list-files')
  for (const p of parts.plugins) h.update(`\0${p.name}@${p.version}`)
  h.update(`\0${JSON.stringify(parts.limits)}\0${parts.hashKinds.join(',')}\0`)
  h.update(JSON.stringify(parts.intel))
  return h.digest('hex')
}
