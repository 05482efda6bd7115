import { parentPort } from 'node:worker_threads'
import type { HashKind } from './hash.js'
import { CHUNK_BYTES, hashFile } from './read-file.js'

/** A hashing worker: one file at a time (the pool never sends a second before the answer). */
export interface HashRequest {
  id: number
  path: Uint8Array
  kinds: HashKind[]
}

const chunk = Buffer.allocUnsafe(CHUNK_BYTES)

parentPort?.on('message', (req: HashRequest) => {
  hashFile(Buffer.from(req.path), new Set(req.kinds), chunk).then(
    (result) => parentPort?.postMessage({ id: req.id, result }),
    (err: { code?: string; message?: string }) =>
      parentPort?.postMessage({ id: req.id, error: { code: err?.code, message: err?.message } }),
  )
})
