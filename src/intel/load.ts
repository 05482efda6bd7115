import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../core/errors.js'
import type { IntelSourceInfo, Problem } from '../core/types.js'
import { buildIntel } from './build-index.js'
import type { HashBatch } from './hash-batch.js'
import { readIntelPath } from './importers/read.js'
import { readVigil } from './importers/vigil-ndjson.js'
import type { Intel } from './intel.js'
import type { IntelRecord } from './records.js'
import { currentVersion, defaultStoreDir, sha256Hex } from './store.js'

/** The built offline pack shipped in the package (`intel/pack/`, made by `npm run intel:build`). */
export const BUNDLED_PACK = fileURLToPath(
  new URL('../../intel/pack/vigil-pack.ndjson', import.meta.url),
)

/** Intel older than this many days gets a warning in every report (env VIGIL_INTEL_MAX_AGE_DAYS). */
export const DEFAULT_MAX_INTEL_AGE_DAYS = 90

function maxAgeFromEnv(): number {
  const raw = process.env.VIGIL_INTEL_MAX_AGE_DAYS
  const v = Number(raw)
  return raw && Number.isFinite(v) && v >= 0 ? v : DEFAULT_MAX_INTEL_AGE_DAYS
}

export interface LoadIntelOptions {
  /** Extra intel files or directories in any supported format (`--intel`), loaded for this run only. */
  extra?: readonly string[]
  /** The local store (default `defaultStoreDir()`); `false` skips it. */
  storeDir?: string | false
  /** Load the bundled pack (default true). */
  bundled?: boolean
  /** Warn about sources older than this (default $VIGIL_INTEL_MAX_AGE_DAYS or 90 days); 0 disables. */
  maxAgeDays?: number
  now?: Date
}

/**
 * Loads the bundled pack, the local store and any extra intel into one index. A damaged store
 * source is skipped with an error Problem; a malformed `extra` file is a UsageError (the user named
 * it, so running without it would be misleading).
 */
export async function loadIntel(
  opts: LoadIntelOptions = {},
): Promise<{ intel: Intel; problems: Problem[] }> {
  const problems: Problem[] = []
  const records: IntelRecord[] = []
  const sources: IntelSourceInfo[] = []
  const batches: HashBatch[] = []
  // Content digests of what was loaded, in order: the intel's fingerprint without re-hashing records.
  const digests = createHash('sha256')
  const add: AddSource = (info, recs, digest, bulk = []) => {
    sources.push({ ...info, records: recs.length + bulk.reduce((n, b) => n + b.count, 0) })
    for (const r of recs) records.push(r)
    batches.push(...bulk)
    digests.update(`${info.source}\0${info.version}\0${digest}\n`)
  }
  if (opts.bundled !== false) {
    try {
      const bytes = await readFile(BUNDLED_PACK)
      const { header, records: recs } = readVigil(bytes.toString('utf8'), BUNDLED_PACK)
      add(
        {
          source: header.source,
          version: header.version,
          ...(header.date ? { date: header.date } : {}),
        },
        recs,
        sha256Hex(bytes),
      )
    } catch (err) {
      problems.push({
        stage: 'intel',
        path: BUNDLED_PACK,
        message: `bundled pack not loaded: ${(err as Error).message}`,
        level: 'error',
      })
    }
  }
  if (opts.storeDir !== false) await loadStore(opts.storeDir ?? defaultStoreDir(), add, problems)
  for (const path of opts.extra ?? []) {
    try {
      const result = await readIntelPath(path)
      add(result.source, result.records, result.digest)
    } catch (err) {
      throw new UsageError(`--intel ${(err as Error).message}`)
    }
  }
  problems.push(...intelAgeProblems(sources, opts.maxAgeDays ?? maxAgeFromEnv(), opts.now))
  const contentDigest = digests.digest('hex')
  return { intel: buildIntel(records, sources, batches, { contentDigest }), problems }
}

type AddSource = (
  info: IntelSourceInfo,
  recs: readonly IntelRecord[],
  digest: string,
  bulk?: readonly HashBatch[],
) => void

async function loadStore(root: string, add: AddSource, problems: Problem[]): Promise<void> {
  let live: Awaited<ReturnType<typeof currentVersion>>
  try {
    live = await currentVersion(root)
  } catch (err) {
    problems.push({
      stage: 'intel',
      path: root,
      message: `intel store not loaded: ${(err as Error).message}`,
      level: 'error',
    })
    return
  }
  if (!live) return
  for (const s of live.manifest.sources) {
    const path = join(live.dir, s.file)
    try {
      const data = await readFile(path)
      if (sha256Hex(data) !== s.sha256)
        throw new Error('SHA-256 differs from the manifest (run `vigil intel verify`)')
      const { records, batches } = readVigil(data.toString('utf8'), path)
      add(
        { source: s.source, version: s.version, ...(s.date ? { date: s.date } : {}) },
        records,
        s.sha256,
        batches,
      )
    } catch (err) {
      problems.push({
        stage: 'intel',
        path,
        message: `intel source '${s.source}' skipped: ${(err as Error).message}`,
        level: 'error',
      })
    }
  }
}

/** A warning Problem for each source dated more than `maxAgeDays` before `now`. */
export function intelAgeProblems(
  sources: readonly IntelSourceInfo[],
  maxAgeDays: number,
  now: Date = new Date(),
): Problem[] {
  if (!maxAgeDays) return []
  const out: Problem[] = []
  for (const s of sources) {
    const t = s.date ? Date.parse(s.date) : Number.NaN
    if (Number.isNaN(t)) continue
    const days = Math.floor((now.getTime() - t) / 86_400_000)
    if (days > maxAgeDays) {
      out.push({
        stage: 'intel',
        path: s.source,
        message: `intel '${s.source}' version ${s.version} is ${days} days old (limit ${maxAgeDays}); run 'vigil intel update'`,
        level: 'warning',
      })
    }
  }
  return out
}
