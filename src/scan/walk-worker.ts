import { parentPort, workerData } from 'node:worker_threads'
import { type WalkBatch, type WalkThreadData, walkTargets } from './walk-targets.js'

const port = parentPort!
const { targets, prefixes, excludes, batch: batchSize, ahead } = workerData as WalkThreadData

let unread = 0
let wake: (() => void) | undefined
port.on('message', () => {
  unread--
  wake?.()
  wake = undefined
})

const fresh = (): WalkBatch => ({
  entries: [],
  problems: [],
  symlinks: 0,
  directories: [],
  done: false,
})
let batch = fresh()
async function send(done: boolean): Promise<void> {
  port.postMessage({ ...batch, done })
  batch = fresh()
  unread++
  while (!done && unread >= ahead) {
    await new Promise<void>((resolve) => {
      wake = resolve
    })
  }
}

const entries = walkTargets(targets, prefixes, {
  excludes,
  problem: (p) => batch.problems.push(p),
  onSymlink: () => batch.symlinks++,
  onDirectory: (d) => batch.directories.push(d),
  signal: new AbortController().signal, // the main thread stops the walk by ending this thread
})
for await (const e of entries) {
  const { size, mtimeMs, ctimeMs, ino } = e.stat
  const at = e.fsPath.toString('latin1')
  batch.entries.push([at, e.path, size, mtimeMs, ctimeMs, ino, e.resourcesBeside, e.target ?? -1])
  if (batch.entries.length >= batchSize) await send(false)
}
await send(true)
port.unref()
