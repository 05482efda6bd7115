import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { sep } from 'node:path'
import type { Problem } from '../core/types.js'
import { displayName } from './names.js'

export interface WalkEntry {
  /** Path on disk, as bytes (names need not be UTF-8). */
  fsPath: Buffer
  /** Report path. */
  path: string
  stat: Stats
  /** Its directory has an entry named `resources` or `Resources` (Artifact.resourcesBeside). */
  resourcesBeside: boolean
}

export interface WalkOptions {
  /** Report-path prefix of this target: '' for a lone target. */
  prefix: string
  /** True when the report path (a dir is also tried with a trailing `/`) is excluded. */
  excluded(path: string, isDir: boolean): boolean
  problem(p: Problem): void
  /** A symlink inside the target: recorded, not followed (its target is walked anyway). */
  onSymlink(): void
  signal?: AbortSignal
}

const SEP = Buffer.from(sep)
const RESOURCES = [Buffer.from('resources'), Buffer.from('Resources')]

/**
 * Regular files under a target, depth-first in byte order of names. Symlinks are never followed
 * (so loops cannot hang the walk): one pointing outside the target, dangling or looping becomes a
 * warning. FIFOs, sockets and devices are never opened: each is a warning.
 */
export async function* walk(target: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  const root = Buffer.from(target)
  // The target itself may be a symlink the user named on purpose: that one is followed.
  const rootStat = await stat(root)
  const rootReal = await realpath(root, { encoding: 'buffer' })
  if (!rootStat.isDirectory()) {
    const path = opts.prefix || displayName(Buffer.from(baseOf(target)))
    // Read through the resolved path: files are opened with O_NOFOLLOW.
    if (rootStat.isFile()) {
      yield { fsPath: rootReal, path, stat: rootStat, resourcesBeside: resourcesBeside(rootReal) }
    } else special(path, rootStat, opts)
    return
  }
  const stack: { dir: Buffer; path: string }[] = [{ dir: root, path: opts.prefix }]
  while (stack.length > 0) {
    opts.signal?.throwIfAborted()
    const { dir, path } = stack.pop()!
    let dirents: Dirent<Buffer>[]
    try {
      dirents = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
    } catch (err) {
      opts.problem({
        stage: 'walk',
        path: path || '.',
        message: `cannot list directory: ${code(err)}`,
        level: 'error',
      })
      continue
    }
    dirents.sort((a, b) => Buffer.compare(a.name, b.name))
    const besideResources = dirents.some((d) => RESOURCES.some((r) => r.equals(d.name)))
    // readdir and lstat synchronously: a few microseconds each, where a thread-pool round trip
    // per call costs ten times that and dominates a rescan (which reads no file at all). The
    // generator still yields between files, so the event loop is never held for long.
    const items = dirents.map((d) => {
      const fsPath = Buffer.concat([dir, SEP, d.name])
      const rel = path ? `${path}/${displayName(d.name)}` : displayName(d.name)
      if (d.isDirectory()) return { fsPath, rel, dir: true as const }
      try {
        return { fsPath, rel, stat: lstatSync(fsPath) }
      } catch (err) {
        opts.problem({
          stage: 'walk',
          path: rel,
          message: `cannot stat: ${code(err)}`,
          level: 'error',
        })
        return undefined
      }
    })
    const subdirs: { dir: Buffer; path: string }[] = []
    for (const it of items) {
      if (!it) continue
      if ('dir' in it || it.stat.isDirectory()) {
        if (!opts.excluded(it.rel, true)) subdirs.push({ dir: it.fsPath, path: it.rel })
      } else if (opts.excluded(it.rel, false)) continue
      else if (it.stat.isFile()) {
        yield { fsPath: it.fsPath, path: it.rel, stat: it.stat, resourcesBeside: besideResources }
      } else if (it.stat.isSymbolicLink()) symlink(it.fsPath, it.rel, rootReal, opts)
      else special(it.rel, it.stat, opts)
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!)
  }
}

/** Whether the directory of a lone file named as a target has a `resources` entry. */
function resourcesBeside(file: Buffer): boolean {
  const dir = file.subarray(0, file.lastIndexOf(SEP) + SEP.length)
  return RESOURCES.some((r) => existsSync(Buffer.concat([dir, r])))
}

function symlink(fsPath: Buffer, rel: string, rootReal: Buffer, opts: WalkOptions) {
  let real: Buffer
  try {
    real = realpathSync(fsPath, { encoding: 'buffer' })
  } catch (err) {
    const why = code(err) === 'ELOOP' ? 'symlink loop' : `broken symlink (${code(err)})`
    opts.problem({ stage: 'walk', path: rel, message: `${why}; not followed`, level: 'warning' })
    return
  }
  const inside =
    real.equals(rootReal) ||
    (real.length > rootReal.length &&
      real.subarray(0, rootReal.length).equals(rootReal) &&
      real.subarray(rootReal.length, rootReal.length + SEP.length).equals(SEP))
  if (inside) opts.onSymlink()
  else {
    opts.problem({
      stage: 'walk',
      path: rel,
      message: `symlink to ${displayName(real)}, outside the target; not followed`,
      level: 'warning',
    })
  }
}

function special(path: string, stat: Stats, opts: WalkOptions): void {
  const kind = stat.isFIFO()
    ? 'FIFO'
    : stat.isSocket()
      ? 'socket'
      : stat.isBlockDevice()
        ? 'block device'
        : stat.isCharacterDevice()
          ? 'character device'
          : 'special file'
  opts.problem({
    stage: 'walk',
    path,
    message: `${kind}, not a regular file; not read`,
    level: 'warning',
  })
}

function baseOf(p: string): string {
  const parts = p.split(/[/\\]/).filter(Boolean)
  return parts[parts.length - 1] ?? p
}

export function code(err: unknown): string {
  const e = err as { code?: string; message?: string }
  return e?.code ?? e?.message ?? String(err)
}
