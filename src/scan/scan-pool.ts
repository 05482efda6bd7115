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
}

export interface EntryRequest {
  id: number
  fsPath: Uint8Array
  path: string
  size: number
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
  resolve(r: StoredEntry): void
  reject(e: Error): void
}

interface Slot {
  worker: Worker
  jobs: Map<number, Job>
}

/**
 * N scan worker threads, each running the whole per-file pipeline (read, hash, unpack, plugins)
 * on the files the caller keeps in flight. A file goes to the least busy worker; a worker that dies
 * fails only its files in flight (the caller turns them into problems) and is replaced.
 */
export class ScanPool {
  readonly #slots: (Slot | undefined)[]
  readonly #init: WorkerInit
  readonly #budget: MemoryBudget
  #nextId = 1
  #closed = false

  constructor(size: number, init: WorkerInit) {
    this.#slots = Array.from({ length: Math.max(1, size) }, () => undefined)
    this.#init = init
    this.#budget = new MemoryBudget(init.budgetBytes, { state: init.budgetState, slot: 0 })
  }

  get size(): number {
    return this.#slots.length
  }

  run(entry: CollectEntry): Promise<StoredEntry> {
    if (this.#closed) return Promise.reject(new Error('scan pool closed'))
    const slot = this.#leastBusy()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject })
      const req: EntryRequest = { id, fsPath: entry.fsPath, path: entry.path, size: entry.size }
      slot.worker.postMessage(req)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const workers = this.#slots.flatMap((s) => (s ? [s.worker] : []))
    this.#slots.fill(undefined)
    await Promise.all(workers.map((w) => w.terminate()))
  }

  #leastBusy(): Slot {
    let best: Slot | undefined
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i] ?? this.#spawn(i)
      if (!best || slot.jobs.size < best.jobs.size) best = slot
    }
    return best!
  }

  #spawn(i: number): Slot {
    const workerData: WorkerData = { ...this.#init, budgetSlot: i }
    const worker = spawnWorker(import.meta.url, 'scan-worker', { workerData })
    const slot: Slot = { worker, jobs: new Map() }
    this.#slots[i] = slot
    worker.on('message', (reply: EntryReply) => {
      const job = slot.jobs.get(reply.id)
      slot.jobs.delete(reply.id)
      if (!job) return
      if ('error' in reply) job.reject(new Error(reply.error))
      else {
        const summary = JSON.parse(reply.summary) as EntrySummary
        job.resolve({ summary, binaries: reply.binaries, files: reply.files })
      }
    })
    const fail = (err: Error) => {
      if (this.#slots[i] !== slot) return
      this.#slots[i] = undefined
      this.#budget.reclaim(i)
      for (const job of slot.jobs.values()) job.reject(err)
      slot.jobs.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`scan worker exited (code ${code})`))
    })
    return slot
  }
}
