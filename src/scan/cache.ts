import { createHash } from 'node:crypto'
import { createWriteStream, readdirSync, type Stats, statSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { errorMessage } from '../core/errors.js'
import type { Problem } from '../core/types.js'
import type { EntryResult } from './entry-result.js'

const FORMAT = 3

/** `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'vigil')
}

type StatKey = [size: number, mtimeMs: number, ctimeMs: number, ino: number]
type Entry = { k: StatKey; r: EntryResult }

function statKey(s: Stats): StatKey {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino]
}

function sameKey(a: StatKey, b: StatKey): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]
}

/**
 * Per-file results of earlier scans of the same targets, keyed by path and (size, mtime, ctime,
 * inode). One NDJSON file per set of targets (a header line, then one `[path, key, result]` line
 * per file on disk), streamed both ways so a large tree never becomes one giant string, and
 * replaced atomically after each scan with exactly the files that scan saw. The header's
 * fingerprint (Vigil, plugin versions, limits, intel content) is checked as a whole: any change
 * starts from empty, so new intel re-evaluates every file. A damaged file is ignored with a
 * warning.
 */
export class ScanCache {
  readonly #old: Map<string, Entry>
  readonly #next = new Map<string, Entry>()
  #changed = false

  private constructor(
    readonly file: string,
    readonly fingerprint: string,
    old: Map<string, Entry>,
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
    const file = join(dir, `scan-${name}.ndjson`)
    let old: Map<string, Entry> | undefined
    try {
      old = await readCache(file, fingerprint)
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
    return new ScanCache(file, fingerprint, old ?? new Map())
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
    this.#changed = true
  }

  /** False when every file was a hit and none disappeared: the file on disk is already right. */
  get changed(): boolean {
    return this.#changed || this.#next.size !== this.#old.size
  }

  /** Writes the entries seen in this scan (temp file + rename, so readers never see half). */
  async save(): Promise<void> {
    if (!this.changed) return
    await mkdir(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    const out = createWriteStream(tmp)
    const lines = async function* (fingerprint: string, entries: Map<string, Entry>) {
      yield `${JSON.stringify({ format: FORMAT, fingerprint })}\n`
      for (const [key, e] of entries) yield `${JSON.stringify([key, e.k, e.r])}\n`
    }
    try {
      await pipeline(Readable.from(lines(this.fingerprint, this.#next)), out)
      await rename(tmp, this.file)
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
  }
}

/** The entries of a cache file, or an empty map when its fingerprint differs. Throws if damaged. */
async function readCache(file: string, fingerprint: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>()
  let header = true
  for await (const line of jsonLines(file)) {
    if (header) {
      const h = JSON.parse(line) as { format?: unknown; fingerprint?: unknown }
      if (h.format !== FORMAT || typeof h.fingerprint !== 'string') throw new Error('bad header')
      if (h.fingerprint !== fingerprint) return out
      header = false
      continue
    }
    const row = JSON.parse(line) as unknown
    if (!Array.isArray(row) || typeof row[0] !== 'string' || !validEntry(row[1], row[2])) {
      throw new Error('bad entry')
    }
    out.set(row[0], { k: row[1] as StatKey, r: row[2] as EntryResult })
  }
  if (header) throw new Error('empty file')
  return out
}

/**
 * The lines of a file the cache wrote (JSON never holds a raw newline), in 4 MiB reads, with no
 * limit on a line's length (a jar's entry may be megabytes). Faster than readline, whose
 * line-break regular expression cost a tenth of a rescan.
 */
async function* jsonLines(file: string): AsyncGenerator<string> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024)
    let carry: Buffer[] = []
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      let at = 0
      for (let nl = buf.indexOf(10, at); nl >= 0 && nl < bytesRead; nl = buf.indexOf(10, at)) {
        const part = buf.subarray(at, nl)
        yield (carry.length > 0 ? Buffer.concat([...carry, part]) : part).toString('utf8')
        carry = []
        at = nl + 1
      }
      if (at < bytesRead) carry.push(Buffer.from(buf.subarray(at, bytesRead)))
    }
    if (carry.length > 0) yield Buffer.concat(carry).toString('utf8')
  } finally {
    await fh.close()
  }
}

function validEntry(k: unknown, r: unknown): boolean {
  if (!Array.isArray(k) || k.length !== 4 || !k.every((n) => typeof n === 'number')) return false
  const x = r as Partial<EntryResult> | null
  return (
    !!x &&
    Array.isArray(x.files) &&
    Array.isArray(x.components) &&
    Array.isArray(x.findings) &&
    Array.isArray(x.binaries) &&
    Array.isArray(x.problems) &&
    typeof x.archives === 'number' &&
    typeof x.symlinks === 'number'
  )
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
