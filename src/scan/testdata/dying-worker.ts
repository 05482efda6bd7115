/**
 * A stand-in scan worker for scan-pool.test.ts: speaks the pool's protocol, runs one file at a
 * time (publishing its id as the real worker does) and dies, as a thread, on any path containing
 * "poison".
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { EntryReply, EntryRequest, WorkerData } from '../scan-pool.js'

const running = new Int32Array((workerData as WorkerData).runningState)
const queue: EntryRequest[] = []

parentPort!.on('message', (batch: EntryRequest[]) => {
  queue.push(...batch)
  setImmediate(next)
})

function next(): void {
  const req = queue.shift()
  if (!req) return
  Atomics.store(running, 0, req.id)
  if (req.path.includes('poison')) process.exit(3)
  Atomics.store(running, 0, 0)
  const reply: EntryReply = { id: req.id, summary: JSON.stringify({ path: req.path }), binaries: '[]', files: '[]' }
  parentPort!.postMessage([reply])
  setImmediate(next)
}
