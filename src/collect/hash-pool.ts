import { Worker } from 'node:worker_threads'
import type { HashKind } from './hash.js'
import type { HashRequest } from './hash-worker.js'
import type { HashedFile } from './read-file.js'

interface Job {
  req: HashRequest
  resolve: (r: HashedFile) => void
  reject: (e: Error) => void
}

/**
 * Worker threads that hash large files, so SHA-256 of big files runs beside the main thread
 * (which keeps typing, unpacking and detection). Workers start on first use and are ended by
 * close(); each takes one file at a time.
 */
export class HashPool {
  readonly #size: number
  readonly #idle: Worker[] = []
  readonly #busy = new Map<Worker, Job>()
  readonly #queue: Job[] = []
  #started = 0
  #nextId = 1

  constructor(size: number) {
    this.#size = Math.max(1, size)
  }

  hash(fsPath: Buffer, kinds: ReadonlySet<HashKind>): Promise<HashedFile> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        req: { id: this.#nextId++, path: fsPath, kinds: [...kinds] },
        resolve,
        reject,
      })
      this.#pump()
    })
  }

  async close(): Promise<void> {
    const all = [...this.#idle, ...this.#busy.keys()]
    this.#idle.length = 0
    await Promise.all(all.map((w) => w.terminate()))
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#started < this.#size ? this.#spawn() : undefined)
      if (!worker) return
      const job = this.#queue.shift()!
      this.#busy.set(worker, job)
      worker.postMessage(job.req)
    }
  }

  #spawn(): Worker {
    this.#started++
    const w = newWorker()
    w.on('message', (msg: { result?: HashedFile; error?: { code?: string; message?: string } }) => {
      const job = this.#busy.get(w)
      this.#busy.delete(w)
      this.#idle.push(w)
      if (job) {
        if (msg.result) job.resolve(revive(msg.result))
        else
          job.reject(
            Object.assign(new Error(msg.error?.message ?? 'hash failed'), {
              code: msg.error?.code,
            }),
          )
      }
      this.#pump()
    })
    w.on('error', (err) => {
      const job = this.#busy.get(w)
      this.#busy.delete(w)
      this.#started--
      job?.reject(err)
      this.#pump()
    })
    return w
  }
}

/** Structured clone turns a Buffer into a plain Uint8Array: make it a Buffer again. */
function revive(r: HashedFile): HashedFile {
  return r.content
    ? { ...r, content: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength) }
    : r
}

/** Built code runs `hash-worker.js`; from TypeScript sources (tests, tsx) tsx is registered first. */
function newWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./hash-worker.js', import.meta.url))
  const entry = new URL('./hash-worker.ts', import.meta.url).href
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true })
}
