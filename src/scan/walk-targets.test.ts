import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Problem } from '../core/types.js'
import {
  type TargetEntry,
  type WalkTargetsOptions,
  walkTargets,
  walkTargetsOnThread,
} from './walk-targets.js'

describe('walking the targets on a thread of its own', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-walk-'))
    const t = join(root, 't')
    mkdirSync(join(t, 'app', 'resources'), { recursive: true })
    mkdirSync(join(t, 'skip'))
    writeFileSync(join(t, 'app', 'app'), 'binary')
    writeFileSync(join(t, 'skip', 'x.txt'), 'excluded')
    writeFileSync(join(t, 'a.log'), 'excluded by base name')
    writeFileSync(join(root, 'outside.txt'), 'outside')
    symlinkSync(join(root, 'outside.txt'), join(t, 'out-link'))
    symlinkSync(join(t, 'app', 'app'), join(t, 'in-link'))
    symlinkSync(join(t, 'loop'), join(t, 'loop'))
    writeFileSync(
      Buffer.concat([Buffer.from(`${t}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]),
      'x',
    )
    execFileSync('mkfifo', [join(t, 'fifo')])
    // Enough files for many batches of 16, and for the walk to wait on the reader (2 ahead).
    mkdirSync(join(t, 'many'))
    for (let i = 0; i < 1000; i++) writeFileSync(join(t, 'many', `f${i}`), '')
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  // The walk in this thread gives fs.Stats, the thread the fields the scan uses.
  const plain = (e: TargetEntry) => {
    const { size, mtimeMs, ctimeMs, ino } = e.stat
    return { ...e, fsPath: e.fsPath.toString('hex'), stat: { size, mtimeMs, ctimeMs, ino } }
  }
  const small = { batch: 16, ahead: 2 }
  const onThread: typeof walkTargets = (targets, prefixes, o) =>
    walkTargetsOnThread(targets, prefixes, o, small)
  const collect = async (walker: typeof walkTargets, signal = new AbortController().signal) => {
    const problems: Problem[] = []
    const directories: number[] = []
    let symlinks = 0
    const o: WalkTargetsOptions = {
      excludes: ['skip', '*.log'],
      problem: (p) => problems.push(p),
      onSymlink: () => symlinks++,
      onDirectory: (i) => directories.push(i),
      signal,
    }
    const targets = [join(root, 't'), join(root, 'outside.txt'), join(root, 'missing')]
    const entries: ReturnType<typeof plain>[] = []
    for await (const e of walker(targets, ['t', 'outside.txt', 'missing'], o))
      entries.push(plain(e))
    return { entries, problems, directories, symlinks }
  }

  it('gives the same entries, problems and symlinks, in the same order, as the walk in this thread', async () => {
    const here = await collect(walkTargets)
    const there = await collect(onThread)
    expect(there).toEqual(here)
    // Read only once the thread has sent what it may: batches that came first are all there.
    const late: typeof walkTargets = (targets, prefixes, o) => {
      const entries = onThread(targets, prefixes, o)
      return (async function* () {
        await new Promise((r) => setTimeout(r, 300))
        yield* entries
      })()
    }
    expect(await collect(late)).toEqual(here)
    expect(here.entries).toHaveLength(1003)
    // Files of a directory before its subdirectories, each in byte order of names.
    expect(here.entries.slice(0, 3).map((e) => [e.path, e.resourcesBeside])).toEqual([
      ['t/bad-\\xff\\xfe.txt', false],
      ['t/app/app', true],
      ['t/many/f0', false],
    ])
    expect(here.entries.at(-1)).toMatchObject({ path: 'outside.txt', target: 1 })
    expect(here.directories).toEqual([0])
    expect(here.symlinks).toBe(1)
    expect(here.problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
      'missing: cannot scan target: ENOENT',
      't/fifo: FIFO, not a regular file; not read',
      't/loop: symlink loop; not followed',
      `t/out-link: symlink to ${join(root, 'outside.txt')}, outside the target; not followed`,
    ])
  })

  // Each thread is an OS thread of this process, which /proc/self/task lists (Linux only).
  it.skipIf(!existsSync('/proc/self/task'))(
    'ends its thread when the reader stops early, before reading, or aborts',
    async () => {
      const threads = () => readdirSync('/proc/self/task').length
      const quiet: WalkTargetsOptions = {
        excludes: [],
        problem: () => {},
        onSymlink: () => {},
        onDirectory: () => {},
        signal: new AbortController().signal,
      }
      const before = threads()
      const early = walkTargetsOnThread([join(root, 't')], [''], quiet, small)
      expect((await early.next()).done).toBe(false)
      expect(threads()).toBeGreaterThan(before)
      await early.return(undefined)
      expect(threads()).toBe(before)
      const never = walkTargetsOnThread([join(root, 't')], [''], quiet, small)
      await never.return(undefined) // before any next(): receive()'s finally never runs
      expect(threads()).toBe(before)
      const c = new AbortController()
      c.abort(new Error('stop'))
      await expect(collect(onThread, c.signal)).rejects.toThrow('stop')
      expect(threads()).toBe(before)
    },
  )
})
