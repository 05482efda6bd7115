import type { BufferPool } from '../collect/buffer-pool.js'
import { type CollectEntry, collectFile } from '../collect/collect.js'
import type { MemoryBudget } from '../collect/memory-budget.js'
import { type EntryResult, emptyResult } from './entry-result.js'
import { type VisitEnv, visitArtifact } from './visit.js'

/** Everything one thread needs to collect files: the plugins, the intel and its memory budget. */
export interface EntryEnv extends VisitEnv {
  budget: MemoryBudget
  buffers: BufferPool
}

/**
 * The per-file unit of a scan, the same on the main thread and in a scan worker: read, hash and
 * type one file on disk, show it and its archive members to every plugin, and return what they
 * found (what the cache stores for the file). `chunk` is a CHUNK_BYTES buffer owned by the caller.
 */
export async function processEntry(
  entry: CollectEntry,
  env: EntryEnv,
  chunk: Buffer,
): Promise<EntryResult> {
  const result = emptyResult()
  await collectFile(entry, {
    limits: env.limits,
    kindsFor: (type) => env.intel.hashKindsFor(type),
    budget: env.budget,
    buffers: env.buffers,
    signal: env.signal,
    chunk,
    problem: (p) => result.problems.push(p),
    visit: (a) => visitArtifact(a, result, env),
    onArchive: () => result.archives++,
    onSymlink: () => result.symlinks++,
  })
  return result
}
