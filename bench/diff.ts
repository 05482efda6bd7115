/**
 * Release diff speed (issue 6): diffing two releases of ~500 MB each must take no more than 1.5×
 * the time of scanning the newer one alone. The releases are assembled from real binaries on this
 * machine (/usr/lib): v2 is v1 with 3% of the files rebuilt (bytes appended), a few removed, a
 * few added and one moved, as a product update looks. Both commands run cold (no scan cache),
 * with the bundled intel, in the same run; the median of three runs each is compared.
 *
 *   npm run build && npx tsx bench/diff.ts [MiB per release, default 500]
 */
import { spawnSync } from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'

const MiB = 1024 * 1024
const budget = Number(process.argv[2] ?? 500) * MiB
const SOURCES = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/llvm-14', '/usr/lib/gcc', '/usr/bin']

function* files(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name)
    if (e.isDirectory()) yield* files(p)
    else if (e.isFile()) yield p
  }
}

function assemble(root: string): { v1: string; v2: string; count: number; bytes: number } {
  const v1 = join(root, 'v1')
  let bytes = 0
  let count = 0
  outer: for (const src of SOURCES) {
    for (const f of files(src)) {
      const size = statSync(f).size
      if (size === 0 || size > 64 * MiB) continue
      const to = join(v1, relative('/usr', f))
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(f, to)
      bytes += size
      count++
      if (bytes >= budget) break outer
    }
  }
  const v2 = join(root, 'v2')
  spawnSync('cp', ['-a', v1, v2])
  const all = [...files(v2)]
  all.forEach((f, i) => {
    if (i % 33 === 0) appendFileSync(f, Buffer.from(`rebuilt ${i}\n`))
    else if (i % 250 === 1) rmSync(f)
  })
  const moved = all.find((_, i) => i % 250 === 7)
  if (moved) renameSync(moved, `${moved}.moved`)
  for (let i = 0; i < 5; i++) copyFileSync('/usr/bin/env', join(v2, `added-${i}`))
  return { v1, v2, count, bytes }
}

function time(args: string[]): number {
  const t = performance.now()
  const r = spawnSync(process.execPath, ['bin/vigil.js', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  if (r.status !== 0 && r.status !== 1) throw new Error(`vigil ${args[0]} failed: ${r.stderr}`)
  return (performance.now() - t) / 1000
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const root = mkdtempSync(join(tmpdir(), 'vigil-bench-diff-'))
try {
  const { v1, v2, count, bytes } = assemble(root)
  console.log(`releases: ${count} files, ${(bytes / MiB).toFixed(0)} MiB each`)
  const common = ['--no-cache', '--quiet', '--format', 'json', '--output', join(root, 'out.json')]
  time(['scan', v2, ...common]) // warm the page cache for both trees
  time(['scan', v1, ...common])
  const scans: number[] = []
  const diffs: number[] = []
  for (let i = 0; i < 3; i++) {
    scans.push(time(['scan', v2, ...common]))
    diffs.push(time(['diff', v1, v2, ...common]))
  }
  const s = median(scans)
  const d = median(diffs)
  console.log(
    `vigil scan NEW      median ${s.toFixed(2)} s  (${scans.map((x) => x.toFixed(2)).join(', ')})`,
  )
  console.log(
    `vigil diff OLD NEW  median ${d.toFixed(2)} s  (${diffs.map((x) => x.toFixed(2)).join(', ')})`,
  )
  console.log(`ratio diff / scan = ${(d / s).toFixed(2)} (goal ≤ 1.5)`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
