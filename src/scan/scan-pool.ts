import { setFlagsFromString } from 'node:v8'
import type { Worker } from 'node:worker_threads'
import type { CollectEntry } from '../collect/collect.js'
import { MemoryBudget } from '../collect/memory-budget.js'
import type { Limits } from '../core/limits.js'
import { spawnWorker } from '../core/spawn-worker.js'
import type { IntelSnapshot } from '../intel/snapshot.js'
import type { EntrySummary, StoredEntry } from './entry-result.js'

/** What every scan worker starts from (structured-cloned once per worker). */
export interface WorkerInit {
  intel: IntelSnapshot
  limits: Limits
  trustStore: string | undefined
  fileStrings: boolean
  /** Only these plugins by name; absent: every registered one. */
  plugins: readonly string[] | undefined
  /** limits.memoryBudgetBytes, held across all workers through `budgetState`. */
  budgetBytes: number
  budgetState: SharedArrayBuffer
}

/** What one worker gets: the common start plus its slot in the shared memory budget. */
export interface WorkerData extends WorkerInit {
  budgetSlot: number
  /**
   * RUNNING_PER_WORKER slots (Int32Array) holding the request ids the worker is running (0: free),
   * so that when it dies the pool knows which files were running and which never started.
   */
  runningState: SharedArrayBuffer
}

export interface EntryRequest {
  id: number
  /**
   * The path on disk as a latin1 string (one char per byte, so any name survives): a Buffer would
   * be cloned with its whole backing pool, several KiB per file.
   */
  fsPath: string
  path: string
  size: number
  resourcesBeside: boolean
}

/**
 * A worker's answer: the EntryResult as JSON text in three parts (the main thread parses only the
 * summary; binaries and file records go to the result log as text), or why the file could not be
 * processed.
 */
export type EntryReply =
  | { id: number; summary: string; binaries: string; files: string }
  | { id: number; error: string }

interface Job {
  request: EntryRequest
  /** Workers that died while running this file: it is handed out again until MAX_ATTEMPTS. */
  attempts: number
  resolve(r: StoredEntry): void
  reject(e: Error): void
}

/**
 * A scan worker's young generation (V8's default is up to 48 MB). A worker's live heap is small
 * (its plugins: ~11 MB) and what it allocates per file dies young, but with the default the
 * semi-spaces grow and more of it is promoted before a collection: over eight full scans of the
 * bench tree each way, peak RSS averaged 649 MB by default and 580 MB with 6 MB, at the same
 * speed (4 MB: 576 MB).
 */
const WORKER_YOUNG_GENERATION_MB = 6

/**
 * While scan threads run, how far (in %) a V8 heap may grow past what survived its last full
 * collection. V8's own factor goes up to 4x for small heaps: the scan threads keep 10-20 MB alive
 * and allocate fast, so each sat at 45-70 MB. At 1.6x the full bench scan peaked ~90 MB lower with
 * the same CPU time (docs/PERFORMANCE.md). The flag is process-wide and read at every collection,
 * so it is set when the first scan thread starts and put back to V8's default (0: its own factor)
 * when the last pool closes: the main thread then builds the report (and a rescan, which starts
 * no thread, runs) with the default: capped, a rescan took 5-10% longer.
 */
const HEAP_GROWING_PERCENT = 60
/** Pools whose threads run under HEAP_GROWING_PERCENT. */
let heapCapped = 0

/** Files a scan worker runs at once (the rest of what it holds waits in its queue). */
export const RUNNING_PER_WORKER = 4

/**
 * When a worker dies, the files it held that had not started go to another worker as they are;
 * the few it was running are suspects and are handed out again until this many workers died
 * running them (so a file that kills every worker it meets becomes a problem, not a loop).
 */
const MAX_ATTEMPTS = 2

interface Slot {
  worker: Worker
  /** Sent to the worker and not answered yet, by request id. */
  jobs: Map<number, Job>
  /** Bytes of the files in `jobs`. */
  bytes: number
  /** Assigned in this turn of the event loop, posted as one message at its end. */
  outbox: EntryRequest[]
}

/**
 * How much work a worker holds at once (queued there and running). Deep enough that a thread never
 * waits for the next small file (one message round trip costs more than hashing a small file),
 * shallow enough in bytes that a few large files do not pile up behind each other on one thread
 * while the other runs dry. A worker always takes at least MIN_FILES_PER_WORKER, whatever their size.
 */
const MAX_FILES_PER_WORKER = 64
const MAX_BYTES_PER_WORKER = 16 * 1024 * 1024
const MIN_FILES_PER_WORKER = 4

/**
 * N scan worker threads, each running the whole per-file pipeline (read, hash, unpack, plugins).
 * Files wait in a queue here and are assigned to the worker holding the least, in batches (one
 * message per worker and turn of the event loop, each way); a worker runs a few of its files at a
 * time (scan-worker.ts). A worker that dies is replaced and its files handed out again (see
 * MAX_ATTEMPTS); a file that still fails is rejected (the caller turns it into a problem).
 */
export class ScanPool {
  readonly #slots: (Slot | undefined)[]
  readonly #init: WorkerInit
  readonly #workerModule: string
  readonly #budget: MemoryBudget
  /** Files waiting for a worker (at most the callers' files in flight; a dead worker's go first). */
  readonly #queue: Job[] = []
  #nextId = 1
  #closed = false
  #flushScheduled = false
  #capsHeap = false

  /** `workerModule`: the worker beside this module (tests give a stand-in). */
  constructor(size: number, init: WorkerInit, workerModule = 'scan-worker') {
    this.#slots = Array.from({ length: Math.max(1, size) }, () => undefined)
    this.#init = init
    this.#workerModule = workerModule
    this.#budget = new MemoryBudget(init.budgetBytes, { state: init.budgetState, slot: 0 })
  }

  get size(): number {
    return this.#slots.length
  }

  /** How many files the pool can keep busy at once: callers keep at least this many in flight. */
  get capacity(): number {
    return this.#slots.length * MAX_FILES_PER_WORKER
  }

  run(entry: CollectEntry): Promise<StoredEntry> {
    if (this.#closed) return Promise.reject(new Error('scan pool closed'))
    const request: EntryRequest = {
      id: this.#nextId++,
      fsPath: entry.fsPath.toString('latin1'),
      path: entry.path,
      size: entry.size,
      resourcesBeside: entry.resourcesBeside,
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, attempts: 0, resolve, reject })
      this.#assign()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#capsHeap && --heapCapped === 0) setFlagsFromString('--heap-growing-percent=0')
    this.#capsHeap = false
    const workers = this.#slots.flatMap((s) => (s ? [s.worker] : []))
    this.#slots.fill(undefined)
    for (const job of this.#queue.splice(0)) job.reject(new Error('scan pool closed'))
    await Promise.all(workers.map((w) => w.terminate()))
  }

  /** Hands queued files to the workers with room, least loaded first. */
  #assign(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0]!
      const slot = this.#withRoom(job.request.size)
      if (!slot) break
      this.#queue.shift()
      slot.jobs.set(job.request.id, job)
      slot.bytes += job.request.size
      slot.outbox.push(job.request)
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true
      queueMicrotask(() => this.#flush())
    }
  }

  #flush(): void {
    this.#flushScheduled = false
    for (const slot of this.#slots) {
      if (!slot || slot.outbox.length === 0) continue
      slot.worker.postMessage(slot.outbox)
      slot.outbox = []
    }
  }

  #withRoom(size: number): Slot | undefined {
    let best: Slot | undefined
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i] ?? this.#spawn(i)
      const n = slot.jobs.size
      const room =
        n < MIN_FILES_PER_WORKER ||
        (n < MAX_FILES_PER_WORKER && slot.bytes + size <= MAX_BYTES_PER_WORKER)
      if (room && (!best || n < best.jobs.size)) best = slot
    }
    return best
  }

  #spawn(i: number): Slot {
    if (!this.#capsHeap) {
      this.#capsHeap = true
      if (heapCapped++ === 0) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
    }
    const runningState = new SharedArrayBuffer(RUNNING_PER_WORKER * 4)
    const workerData: WorkerData = { ...this.#init, budgetSlot: i, runningState }
    const worker = spawnWorker(import.meta.url, this.#workerModule, {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    })
    const running = new Int32Array(runningState) // read when the worker dies
    const slot: Slot = { worker, jobs: new Map(), bytes: 0, outbox: [] }
    this.#slots[i] = slot
    worker.on('message', (replies: EntryReply[]) => {
      for (const reply of replies) {
        const job = slot.jobs.get(reply.id)
        if (!job) continue
        slot.jobs.delete(reply.id)
        slot.bytes -= job.request.size
        if ('error' in reply) job.reject(new Error(reply.error))
        else {
          const summary = JSON.parse(reply.summary) as EntrySummary
          job.resolve({ summary, binaries: reply.binaries, files: reply.files })
        }
      }
      if (!this.#closed) this.#assign()
    })
    const fail = (err: Error) => {
      if (this.#slots[i] !== slot) return
      this.#slots[i] = undefined
      this.#budget.reclaim(i)
      const wasRunning = new Set(Array.from(running, (_, k) => Atomics.load(running, k)))
      const again: Job[] = []
      for (const job of slot.jobs.values()) {
        if (wasRunning.has(job.request.id)) job.attempts++
        if (job.attempts < MAX_ATTEMPTS && !this.#closed) again.push(job)
        else job.reject(err)
      }
      this.#queue.unshift(...again)
      slot.jobs.clear()
      if (!this.#closed) this.#assign()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`scan worker exited (code ${code})`))
    })
    return slot
  }
}
