/**
 * One rule-scanning worker: compiles the rule text once, then scans files (by path, memory-mapped)
 * or buffers on request. Runs in a worker_thread so CPU-heavy matching leaves the scan pipeline's
 * main thread free.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { compile } from '@litko/yara-x'

export interface ScanRequest {
  id: number
  path?: string
  bytes?: Uint8Array
}

const rules = compile((workerData as { text: string }).text)
parentPort!.on('message', (req: ScanRequest) => {
  try {
    const matches =
      req.path !== undefined ? rules.scanFile(req.path) : rules.scan(Buffer.from(req.bytes!))
    parentPort!.postMessage({ id: req.id, matches })
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message })
  }
})
parentPort!.postMessage({ ready: true })
