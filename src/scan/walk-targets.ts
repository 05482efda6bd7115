import { stat } from 'node:fs/promises'
import picomatch from 'picomatch'
import { code, type WalkEntry, walk } from '../collect/walk.js'
import { spawnWorker } from '../core/spawn-worker.js'
import type { Problem, Target } from '../core/types.js'

export type Excluder = (path: string, isDir: boolean) => boolean

/** Exclusion by globs over report paths; a glob without `/` matches a base name at any depth. */
export function excluder(globs: readonly string[]): Excluder {
  if (globs.length === 0) return () => false
  const full = picomatch(globs.filter((g) => g.includes('/')) as string[], { dot: true })
  const base = picomatch(globs.filter((g) => !g.includes('/')) as string[], {
    dot: true,
    basename: true,
  })
  return (path, isDir) => full(path) || base(path) || (isDir && full(`${path}/`))
}

/** A regular file to scan; the stat fields the cache key and the progress use. */
export interface TargetEntry extends Omit<WalkEntry, 'stat'> {
  stat: { size: number; mtimeMs: number; ctimeMs: number; ino: number }
  /** Index of the target when this entry is the target itself (a file named on the command line). */
  target?: number
}

export interface WalkTargetsOptions {
  /** Globs of report paths not to walk (`excluder`). */
  excludes: readonly string[]
  problem(p: Problem): void
  onSymlink(): void
  /** A target turned out to be a directory (targets are 'file' until then). */
  onDirectory(target: number): void
  signal: AbortSignal
}

/** Every regular file under the targets, in order (walk()); a target that cannot be read is a problem. */
export async function* walkTargets(
  targets: readonly string[],
  prefixes: readonly string[],
  o: WalkTargetsOptions,
): AsyncGenerator<TargetEntry> {
  const excluded = excluder(o.excludes)
  for (const [i, target] of targets.entries()) {
    const prefix = prefixes[i]!
    try {
      const dir = (await stat(target)).isDirectory()
      if (dir) o.onDirectory(i)
      for await (const entry of walk(target, {
        prefix,
        excluded,
        problem: o.problem,
        onSymlink: o.onSymlink,
        signal: o.signal,
      })) {
        yield dir ? entry : { ...entry, target: i }
      }
    } catch (err) {
      if (o.signal.aborted) throw err
      o.problem({
        stage: 'walk',
        path: prefix || target,
        message: `cannot scan target: ${code(err)}`,
        level: 'error',
      })
    }
  }
}

/** What the walk thread starts from. */
export interface WalkThreadData {
  targets: readonly string[]
  prefixes: readonly string[]
  excludes: readonly string[]
  /** Entries per batch. */
  batch: number
  /** Batches sent and not yet taken by the reader before the walk waits. */
  ahead: number
}

/** Batch size and walk-ahead of the walk thread: 64 batches of 512, about 30,000 entries. */
const WALK_BATCH = { batch: 512, ahead: 64 }

/** An entry as sent by the walk thread: the path on disk as a latin1 string (any bytes survive). */
export type WireEntry = [
  fsPath: string,
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  resourcesBeside: boolean,
  target: number,
]

/** What the walk thread sends, in batches: entries in walk order, and what the walk met meanwhile. */
export interface WalkBatch {
  entries: WireEntry[]
  problems: Problem[]
  symlinks: number
  /** Targets found to be directories. */
  directories: number[]
  /** The last batch. */
  done: boolean
}

/**
 * walkTargets() on a thread of its own: the readdir and lstat calls of a large tree (0.5-0.8 s
 * of a rescan's 2 s here, when nothing else is read) run beside the main thread, which only looks
 * entries up in the cache. The thread starts at once (not on the first next()), so it walks while
 * the caller still opens its cache; it sends entries in batches and waits while some thousands
 * are unread (walk-worker.ts), so a walk far ahead of a slow scan holds no more than that. The
 * same entries, in the same order, as walkTargets() on the calling thread.
 */
export function walkTargetsOnThread(
  targets: readonly string[],
  prefixes: readonly string[],
  o: WalkTargetsOptions,
  batching = WALK_BATCH,
): AsyncGenerator<TargetEntry> {
  const data: WalkThreadData = { targets, prefixes, excludes: o.excludes, ...batching }
  const worker = spawnWorker(import.meta.url, 'walk-worker', { workerData: data })
  // Listening from the start: batches sent before the first next() wait here, not lost.
  const inbox: WalkBatch[] = []
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const rouse = () => {
    wake?.()
    wake = undefined
  }
  worker.on('message', (m: WalkBatch) => {
    inbox.push(m)
    rouse()
  })
  worker.on('error', (err) => {
    failure = err
    rouse()
  })
  worker.on('exit', (exitCode) => {
    failure ??= new Error(`walk thread exited (code ${exitCode})`)
    rouse()
  })

  async function* receive(): AsyncGenerator<TargetEntry> {
    o.signal.addEventListener('abort', rouse)
    try {
      for (;;) {
        o.signal.throwIfAborted()
        const m = inbox.shift()
        if (!m) {
          if (failure) throw failure
          await new Promise<void>((resolve) => {
            wake = resolve
          })
          continue
        }
        worker.postMessage('read') // one batch taken: the thread may send another
        for (const p of m.problems) o.problem(p)
        for (let i = 0; i < m.symlinks; i++) o.onSymlink()
        for (const d of m.directories) o.onDirectory(d)
        for (const [
          fsPath,
          path,
          size,
          mtimeMs,
          ctimeMs,
          ino,
          resourcesBeside,
          target,
        ] of m.entries) {
          yield {
            fsPath: Buffer.from(fsPath, 'latin1'),
            path,
            stat: { size, mtimeMs, ctimeMs, ino },
            resourcesBeside,
            ...(target >= 0 && { target }),
          }
        }
        if (m.done) return
      }
    } finally {
      o.signal.removeEventListener('abort', rouse)
      await worker.terminate()
    }
  }

  const entries = receive()
  // return() before the first next() never runs receive()'s finally: end the thread here too.
  const close = entries.return.bind(entries)
  entries.return = async (value) => {
    await worker.terminate()
    return close(value)
  }
  return entries
}
