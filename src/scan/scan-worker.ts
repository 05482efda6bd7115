/**
 * A scan worker thread: its own plugins, intel lookups and memory budget; runs processEntry() for
 * the files the main thread sends in batches (a few at once, so one waiting for the memory budget
 * does not idle the thread) and posts back their EntryResults as JSON text, also in batches.
 * Nothing here outlives a scan: the pool terminates the thread at the end.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { BufferPool } from '../collect/buffer-pool.js'
import { MemoryBudget } from '../collect/memory-budget.js'
import { CHUNK_BYTES } from '../collect/read-file.js'
import { errorMessage } from '../core/errors.js'
import { intelFromSnapshot } from '../intel/snapshot.js'
import { storedEntry } from './entry-result.js'
import { createPlugins } from './plugins.js'
import { processEntry } from './process-entry.js'
import {
  type EntryReply,
  type EntryRequest,
  RUNNING_PER_WORKER,
  type WorkerData,
} from './scan-pool.js'

const init = workerData as WorkerData
const plugins = await createPlugins(init.plugins)
const env = {
  ...plugins,
  intel: intelFromSnapshot(init.intel),
  limits: init.limits,
  signal: new AbortController().signal,
  fileStrings: init.fileStrings,
  trustStore: init.trustStore,
  budget: new MemoryBudget(init.budgetBytes, { state: init.budgetState, slot: init.budgetSlot }),
  buffers: new BufferPool(init.limits.maxParseBytes),
}
/**
 * Files run at once on this thread (RUNNING_PER_WORKER): while one waits for the memory budget or
 * a blocking read the others go on. Each holds a buffer arena (BufferPool), so this is also what
 * bounds them. Their request ids are published in `running` for the pool (see WorkerData).
 */
const running = new Int32Array(init.runningState)
/** Replies sent in one message; fewer when nothing else is queued. */
const REPLY_BATCH = 8
const queue: EntryRequest[] = []
let runningCount = 0
const chunks: Buffer[] = []
let replies: EntryReply[] = []

parentPort!.on('message', (batch: EntryRequest[]) => {
  queue.push(...batch)
  startQueued()
})

/**
 * Starts queued files up to RUNNING_PER_WORKER and sends the replies gathered so far once there
 * are enough of them or the queue is empty. Called from setImmediate after each file: files read with blocking
 * calls finish in microtasks, and without a turn of the event loop between them this thread would
 * neither receive the next batch nor send its replies until its whole queue was done.
 */
function startQueued(): void {
  while (runningCount < RUNNING_PER_WORKER && queue.length > 0) {
    const req = queue.shift()!
    const slot = running.indexOf(0)
    Atomics.store(running, slot, req.id)
    runningCount++
    run(req).finally(() => {
      Atomics.store(running, slot, 0)
      runningCount--
      setImmediate(startQueued)
    })
  }
  if (replies.length >= REPLY_BATCH || (replies.length > 0 && queue.length === 0)) {
    parentPort!.postMessage(replies)
    replies = []
  }
}

async function run(req: EntryRequest): Promise<void> {
  const chunk = chunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
  const fsPath = Buffer.from(req.fsPath, 'latin1')
  try {
    const entry = { fsPath, path: req.path, size: req.size, resourcesBeside: req.resourcesBeside }
    const result = await processEntry(entry, env, chunk)
    // JSON, not a structured clone: V8 writes and reads it several times faster for these
    // object graphs (thousands of member records, binary summaries with export lists).
    const { summary, binaries, files } = storedEntry(result)
    replies.push({ id: req.id, summary: JSON.stringify(summary), binaries, files })
  } catch (err) {
    replies.push({ id: req.id, error: errorMessage(err) })
  } finally {
    chunks.push(chunk)
  }
}
