import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { BufferPool } from '../collect/buffer-pool.js'
import { isArchiveType } from '../collect/file-type.js'
import { MemoryBudget, sharedBudgetState } from '../collect/memory-budget.js'
import { CHUNK_BYTES } from '../collect/read-file.js'
import type { SuppressionEntry } from '../config/suppressions.js'
import { TRUST_STORE_ENV } from '../core/env.js'
import { errorMessage } from '../core/errors.js'
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js'
import type { Cataloger, Detector, FinishContext } from '../core/plugin.js'
import type { Component, FileEntry, Finding, Problem, Report, Target } from '../core/types.js'
import { VERSION } from '../core/version.js'
import { withCorrelation } from '../correlate/correlate.js'
import type { Intel } from '../intel/intel.js'
import { snapshotIntel } from '../intel/snapshot.js'
import { cacheFingerprint, directoryIdentity, ScanCache } from './cache.js'
import { countTargets } from './count.js'
import { emptyEntry, type FileRecord, type StoredEntry, storedEntry } from './entry-result.js'
import { createPlugins } from './plugins.js'
import { type EntryEnv, processEntry } from './process-entry.js'
import type { ScanProgress } from './progress.js'
import { statKey } from './result-log.js'
import { ScanPool } from './scan-pool.js'
import { ScanResults } from './scan-results.js'
import { sortReport } from './sort.js'
import {
  excluder,
  type TargetEntry,
  type WalkTargetsOptions,
  walkTargets,
  walkTargetsOnThread,
} from './walk-targets.js'

export interface ScanOptions {
  /** Files, directories or archives to scan. */
  paths: readonly string[]
  intel: Intel
  limits?: Partial<Limits>
  /** Globs (picomatch) over report paths; a pattern without `/` matches a base name anywhere. */
  excludes?: readonly string[]
  /**
   * Scan worker threads, each running the whole per-file pipeline (default: one per core). 0 runs
   * it on the calling thread, as does passing `detectors` or `catalogers` objects.
   */
  threads?: number
  /** Files in flight at once (default: what the scan threads can hold, 8 on the calling thread). */
  concurrency?: number
  /** Run only the registered detectors and catalogers with these names. */
  plugins?: readonly string[]
  /** Reuse results of unchanged files from an earlier scan; off when absent. */
  cache?: { dir: string }
  onProgress?: (p: ScanProgress) => void
  signal?: AbortSignal
  /** Plugin objects to run instead of the registered ones (on the calling thread). */
  detectors?: readonly Detector[]
  catalogers?: readonly Cataloger[]
  /** List every collected file in `report.files` (diff baselines). */
  listFiles?: boolean
  /** With listFiles: also record the URLs, domains and IPs embedded in each binary. */
  fileStrings?: boolean
  /** Directory of PEM roots trusted for signature chains (default: $VIGIL_TRUST_STORE). */
  trustStore?: string
  /** Problems from before the scan (intel loading, config) to carry into the report. */
  problems?: readonly Problem[]
  /** Suppression entries (src/config/suppressions.ts), applied before correlation. */
  suppressions?: readonly SuppressionEntry[]
  /** Clock for suppression expiry (tests). */
  now?: Date
}

/**
 * The library entry every shell calls: walk, unpack, hash and identify every file; run catalogers
 * and detectors per artifact (bounded concurrency, whole-file reads under a memory budget); then
 * cross-file finish(), suppressions and correlation; a sorted, complete report. Per-file failures
 * are Problems; only an abort or a bug rejects.
 */
export async function scan(opts: ScanOptions): Promise<Report> {
  const started = performance.now()
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const signal = opts.signal ?? new AbortController().signal
  const registered = await createPlugins(opts.plugins)
  const detectors = opts.detectors ?? registered.detectors
  const catalogers = opts.catalogers ?? registered.catalogers
  const threads = opts.detectors || opts.catalogers ? 0 : (opts.threads ?? availableParallelism())
  const problems: Problem[] = [...(opts.problems ?? [])]
  const problem = (p: Problem) => problems.push(p)
  const targets = opts.paths.map((p) => resolve(p))
  const prefixes = opts.paths.map((p) => (opts.paths.length > 1 ? reportPrefix(p) : ''))
  const targetKinds: Target['kind'][] = targets.map(() => 'file')
  let walkedSymlinks = 0
  const walkOptions: WalkTargetsOptions = {
    excludes: opts.excludes ?? [],
    problem,
    onSymlink: () => walkedSymlinks++,
    onDirectory: (i) => {
      targetKinds[i] = 'dir'
    },
    signal,
  }
  // When an earlier scan's cache file is there, most files are usually unchanged and the walk is
  // what a rescan waits on: it gets a thread of its own, started now, so it walks while the cache
  // file is indexed below. A first scan waits on the scan threads, and a third thread walking
  // beside them made it ~4% slower: it walks here.
  const walkAside =
    threads > 0 &&
    opts.cache !== undefined &&
    existsSync(ScanCache.fileFor(opts.cache.dir, targets))
  const entries = walkAside
    ? walkTargetsOnThread(targets, prefixes, walkOptions)
    : walkTargets(targets, prefixes, walkOptions)

  const cache = opts.cache
    ? await ScanCache.open(
        opts.cache.dir,
        targets,
        fingerprint(opts.intel, detectors, catalogers, limits, {
          fileStrings: opts.fileStrings === true,
          trustStore: opts.trustStore,
        }),
        problem,
      )
    : undefined

  const total = new ScanResults(cache)
  const progress = {
    files: 0,
    bytes: 0,
    cached: 0,
    totalFiles: undefined as number | undefined,
    totalBytes: undefined as number | undefined,
  }
  const report = (currentPath: string) =>
    opts.onProgress?.({
      files: progress.files,
      bytes: progress.bytes,
      ...(progress.totalFiles !== undefined && {
        totalFiles: progress.totalFiles,
        totalBytes: progress.totalBytes,
      }),
      elapsedMs: performance.now() - started,
      currentPath,
    })
  if (opts.onProgress) {
    countTargets(targets, prefixes, excluder(opts.excludes ?? []), signal).then(
      (t) => {
        progress.totalFiles = t.files
        progress.totalBytes = t.bytes
      },
      () => {},
    )
  }

  const fileStrings = opts.listFiles === true && opts.fileStrings === true
  const pool =
    threads > 0
      ? new ScanPool(threads, {
          // Advisories are matched in finish(), on this thread: workers need no copy of them.
          intel: snapshotIntel(opts.intel, { advisories: false }),
          limits,
          trustStore: opts.trustStore,
          fileStrings,
          plugins: opts.plugins,
          budgetBytes: limits.memoryBudgetBytes,
          budgetState: sharedBudgetState(threads),
        })
      : undefined
  // On the calling thread (no pool) the per-file unit runs here, with this environment.
  const inline: EntryEnv | undefined = pool
    ? undefined
    : {
        intel: opts.intel,
        limits,
        signal,
        detectors,
        catalogers,
        fileStrings,
        trustStore: opts.trustStore,
        budget: new MemoryBudget(limits.memoryBudgetBytes),
        buffers: new BufferPool(limits.maxParseBytes),
      }
  const runEntry = async (entry: TargetEntry, chunk: Buffer) => {
    report(entry.path)
    const key = statKey(entry.stat, entry.resourcesBeside)
    const hit = cache?.get(entry.fsPath, key)
    let summary = hit?.summary
    if (hit) {
      progress.cached++
      total.addCached(hit.summary, hit.offset)
    } else {
      const file = {
        fsPath: entry.fsPath,
        path: entry.path,
        size: entry.stat.size,
        resourcesBeside: entry.resourcesBeside,
      }
      let stored: StoredEntry
      try {
        stored = inline
          ? storedEntry(await processEntry(file, inline, chunk))
          : await pool!.run(file)
        total.add(entry.fsPath.toString('latin1'), key, stored)
      } catch (err) {
        signal.throwIfAborted()
        problem({
          stage: 'scan',
          path: entry.path,
          message: `not scanned: ${errorMessage(err)}`,
          level: 'error',
        })
        stored = emptyEntry()
      }
      summary = stored.summary
    }
    if (entry.target !== undefined && isArchiveType(summary?.type ?? 'other')) {
      targetKinds[entry.target] = 'archive'
    }
    progress.files += 1
    progress.bytes += entry.stat.size
  }

  const inFlight = opts.concurrency ?? (pool ? pool.capacity : 8)
  try {
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, inFlight) }, async () => {
          const chunk = pool ? Buffer.alloc(0) : Buffer.allocUnsafe(CHUNK_BYTES)
          for (;;) {
            const next = await entries.next()
            if (next.done) return
            await runEntry(next.value, chunk)
          }
        }),
      )
    } finally {
      await pool?.close()
    }
    total.symlinks += walkedSymlinks
    signal.throwIfAborted()
    const run: FinishedRun = {
      opts,
      limits,
      signal,
      detectors,
      catalogers,
      problems,
      targetKinds,
      bytes: progress.bytes,
      cached: progress.cached,
      started,
    }
    return sortReport(await assemble(total, run))
  } finally {
    await entries.return(undefined) // stops the walk (and its thread) if the scan failed
    await total.settle(!signal.aborted, problem)
  }
}

/** What the end of a scan works from, besides its results. */
interface FinishedRun {
  opts: ScanOptions
  limits: Limits
  signal: AbortSignal
  detectors: readonly Detector[]
  catalogers: readonly Cataloger[]
  /** The scan's problems so far (the report's list: appended to, then deduplicated). */
  problems: Problem[]
  targetKinds: Target['kind'][]
  bytes: number
  cached: number
  started: number
}

/**
 * The cross-file stage and the report: binary summaries read back from the result log, each
 * plugin's finish() (file records streamed from the log), suppressions, correlation.
 */
async function assemble(total: ScanResults, run: FinishedRun): Promise<Report> {
  const { opts, problems } = run
  const problem = (p: Problem) => problems.push(p)
  const binaries = await total.binaries()
  const finishCtx: FinishContext = {
    intel: opts.intel,
    limits: run.limits,
    signal: run.signal,
    ...(opts.trustStore !== undefined && { trustStore: opts.trustStore }),
    problem,
    components: [],
    binaries,
    files: () => total.files(),
  }
  const components = await finishCatalogers(run.catalogers, total.components, finishCtx)
  const findings = [
    ...total.findings,
    ...(await finishDetectors(run.detectors, { ...finishCtx, components })),
  ]
  // The suppressions module (with its file reader's yaml and zod) loads only when there are some.
  const suppressed = opts.suppressions?.length
    ? (await import('../config/suppressions.js')).applySuppressions(
        findings,
        opts.suppressions,
        opts.now ?? new Date(),
        { fileHashes: await hashesAt(findings, total.files()) },
      )
    : { kept: findings, suppressed: 0, problems: [] }
  problems.push(...suppressed.problems, ...total.problems)
  dedupeProblems(problems)
  if (total.symlinks > 0) {
    problems.push({
      stage: 'walk',
      path: '.',
      message: `${total.symlinks} symlinks inside the target(s) recorded and not followed (what they point to is scanned where it is)`,
      level: 'warning',
    })
  }
  const correlated = withCorrelation(suppressed.kept, components)
  const listed: FileEntry[] = []
  if (opts.listFiles) {
    for await (const f of total.files()) {
      listed.push({
        path: f.path,
        size: f.size,
        type: f.type,
        sha256: f.hashes.sha256,
        ...(f.strings && { strings: f.strings }),
      })
    }
  }
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: VERSION, intel: [...opts.intel.sources] },
    createdAt: new Date().toISOString(),
    targets: opts.paths.map((p, i) => ({ path: p, kind: run.targetKinds[i]! })),
    components,
    findings: correlated.findings,
    verdicts: correlated.verdicts,
    binaries,
    ...(opts.listFiles && { files: listed }),
    problems,
    stats: {
      files: total.fileCount,
      bytes: run.bytes,
      durationMs: Math.round(performance.now() - run.started),
      archives: total.archives,
      cached: run.cached,
      ...(suppressed.suppressed > 0 && { suppressed: suppressed.suppressed }),
    },
  }
}

/** SHA-256 of each file a finding points at (suppressions may match by hash). */
async function hashesAt(
  findings: readonly Finding[],
  files: AsyncIterable<FileRecord>,
): Promise<Map<string, string>> {
  const wanted = new Set(findings.flatMap((f) => f.locations.map((l) => l.path)))
  const out = new Map<string, string>()
  for await (const f of files) if (wanted.has(f.path)) out.set(f.path, f.hashes.sha256)
  return out
}

async function finishCatalogers(
  catalogers: readonly Cataloger[],
  found: readonly { by: string; component: Component }[],
  ctx: FinishContext,
): Promise<Component[]> {
  const out: Component[] = []
  for (const c of catalogers) {
    const mine = found.filter((x) => x.by === c.name).map((x) => x.component)
    if (!c.finish) {
      out.push(...mine)
      continue
    }
    try {
      out.push(...(await c.finish(mine, ctx)))
    } catch (err) {
      ctx.problem({
        stage: 'catalog',
        path: '.',
        message: `${c.name} finish: ${errorMessage(err)}`,
        level: 'error',
      })
      out.push(...mine)
    }
  }
  return out
}

async function finishDetectors(
  detectors: readonly Detector[],
  ctx: FinishContext,
): Promise<Finding[]> {
  const out: Finding[] = []
  for (const d of detectors) {
    if (!d.finish) continue
    try {
      out.push(...(await d.finish(ctx)))
    } catch (err) {
      ctx.problem({
        stage: 'detect',
        path: '.',
        message: `${d.name} finish: ${errorMessage(err)}`,
        level: 'error',
      })
    }
  }
  return out
}

/** Drops repeated problems (a plugin's once-per-thread notice arrives once from each thread). */
function dedupeProblems(problems: Problem[]): void {
  const seen = new Set<string>()
  let kept = 0
  for (const p of problems) {
    const key = `${p.level}\0${p.stage}\0${p.path}\0${p.message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems[kept++] = p
  }
  problems.length = kept
}

/** Report-path prefix of one target among several: the path as given, `/`-separated. */
function reportPrefix(p: string): string {
  return p.replaceAll('\\', '/').replace(/\/+$/, '') || '/'
}

function fingerprint(
  intel: Intel,
  detectors: readonly Detector[],
  catalogers: readonly Cataloger[],
  limits: Limits,
  o: { fileStrings: boolean; trustStore: string | undefined },
): string {
  return cacheFingerprint({
    version: VERSION,
    listFiles: o.fileStrings,
    trustStore: directoryIdentity(o.trustStore ?? process.env[TRUST_STORE_ENV]),
    plugins: [...detectors, ...catalogers].map((p) => ({ name: p.name, version: p.version })),
    intel: intel.fingerprint,
    limits,
  })
}
