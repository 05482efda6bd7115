/**
 * A scan worker thread: its own plugins, intel lookups and memory budget; runs processEntry() for
 * each file the main thread sends (several at once, so one waiting for the memory budget does not
 * idle the thread) and posts back its EntryResult as JSON text. Nothing here outlives a scan: the
 * pool terminates the thread at the end.
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
import type { EntryReply, EntryRequest, WorkerData } from './scan-pool.js'

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
const chunks: Buffer[] = []

parentPort!.on('message', (req: EntryRequest) => {
  const chunk = chunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
  const fsPath = Buffer.from(req.fsPath.buffer, req.fsPath.byteOffset, req.fsPath.byteLength)
  processEntry({ fsPath, path: req.path, size: req.size }, env, chunk).then(
    (result) => {
      chunks.push(chunk)
      // JSON, not a structured clone: V8 writes and reads it several times faster for these
      // object graphs (thousands of member records, binary summaries with export lists).
      const { summary, binaries, files } = storedEntry(result)
      parentPort!.postMessage({
        id: req.id,
        summary: JSON.stringify(summary),
        binaries,
        files,
      } satisfies EntryReply)
    },
    (err) => {
      chunks.push(chunk)
      parentPort!.postMessage({ id: req.id, error: errorMessage(err) } satisfies EntryReply)
    },
  )
})
