import { Worker } from 'node:worker_threads'
import type { RuleMatch } from '@litko/yara-x'
import type { ScanRequest } from './worker.js'

export class RuleTimeoutError extends Error {
  override name = 'RuleTimeoutError'
}

interface Task {
  req: Omit<ScanRequest, 'id'>
  resolve: (m: RuleMatch[]) => void
  reject: (e: Error) => void
}

interface Slot {
  worker: Worker
  ready: Promise<void>
  task?: Task & { id: number; timer?: NodeJS.Timeout }
}

/**
 * The worker entry. Built code runs `worker.js` directly; from TypeScript sources (tests, tsx) a
 * small bootstrap registers the tsx loader in the worker first.
 */
function newWorker(text: string): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker.js', import.meta.url), { workerData: { text } })
  }
  const entry = new URL('./worker.ts', import.meta.url).href
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true, workerData: { text } })
}

/**
 * A small pool of rule workers, each with its own compiled copy of the rules. A scan that runs past
 * `timeoutMs` is abandoned: its worker is terminated and replaced (YARA-X's binding has no
 * per-scan timeout), and the scan rejects with RuleTimeoutError.
 */
export class RulePool {
  private readonly slots: Slot[] = []
  private readonly queue: Task[] = []
  private nextId = 1
  private closed = false

  private constructor(
    private readonly text: string,
    private readonly timeoutMs: number,
  ) {}

  static async create(
    text: string,
    opts: { workers?: number; timeoutMs: number },
  ): Promise<RulePool> {
    const pool = new RulePool(text, opts.timeoutMs)
    for (let i = 0; i < Math.max(1, opts.workers ?? 2); i++) pool.slots.push(pool.spawn())
    await Promise.all(pool.slots.map((s) => s.ready))
    return pool
  }

  private spawn(): Slot {
    const worker = newWorker(this.text)
    worker.unref()
    const slot: Slot = {
      worker,
      ready: new Promise((resolve, reject) => {
        const onMessage = (m: { ready?: boolean }) => {
          if (m.ready) {
            worker.off('error', reject)
            resolve()
          }
        }
        worker.on('message', onMessage)
        worker.once('error', reject)
      }),
    }
    worker.on('message', (m: { id?: number; matches?: RuleMatch[]; error?: string }) => {
      const t = slot.task
      if (m.id === undefined || !t || t.id !== m.id) return
      clearTimeout(t.timer)
      slot.task = undefined
      if (m.error !== undefined) t.reject(new Error(m.error))
      else t.resolve(m.matches ?? [])
      this.pump()
    })
    worker.on('error', (err) => this.fail(slot, err))
    return slot
  }

  private fail(slot: Slot, err: Error): void {
    const t = slot.task
    slot.task = undefined
    if (t) {
      clearTimeout(t.timer)
      t.reject(err)
    }
    this.replace(slot)
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate()
    const i = this.slots.indexOf(slot)
    if (this.closed || i < 0) return
    const fresh = this.spawn()
    this.slots[i] = fresh
    fresh.ready.then(
      () => this.pump(),
      (err: Error) => {
        for (const t of this.queue.splice(0)) t.reject(err)
      },
    )
  }

  scanFile(path: string): Promise<RuleMatch[]> {
    return this.submit({ path })
  }

  scanBytes(bytes: Uint8Array): Promise<RuleMatch[]> {
    return this.submit({ bytes })
  }

  private submit(req: Omit<ScanRequest, 'id'>): Promise<RuleMatch[]> {
    if (this.closed) return Promise.reject(new Error('rule pool closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject })
      this.pump()
    })
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue
      const task = this.queue.shift()!
      const id = this.nextId++
      slot.task = { ...task, id }
      slot.ready.then(
        () => {
          if (slot.task?.id !== id) return
          slot.task.timer = setTimeout(() => {
            const t = slot.task
            if (t?.id !== id) return
            slot.task = undefined
            t.reject(new RuleTimeoutError(`rule scan exceeded ${this.timeoutMs} ms`))
            this.replace(slot)
          }, this.timeoutMs)
          slot.worker.postMessage({ id, ...task.req })
        },
        (err: Error) => this.fail(slot, err),
      )
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const t of this.queue.splice(0)) t.reject(new Error('rule pool closed'))
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }
}
