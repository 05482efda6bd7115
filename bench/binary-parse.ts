/**
 * CPU and allocations of the binary parsers and the structure detectors: every ELF, PE and Mach-O
 * file of a tree goes through `elfOf`/`peOf`/`machoOf`, then each structure detector that wants
 * it, then every detector's `finish` once; the detectors' `wants` also run over every file of the
 * tree (no bytes). Reports CPU seconds (process.cpuUsage, this thread) and bytes allocated on the
 * V8 heap (v8.GCProfiler: growth of the used heap plus what each collection freed) per step.
 * Lazy parse fields (ELF section entropy) are paid by the first detector that reads them.
 * Not part of `npm test`.
 *
 *   npx tsx bench/binary-parse.ts [TREE] [RUNS]   (default /tmp/vigil-bench-tree, 1 run; best kept)
 *
 * The list of binaries is cached in the OS temp dir (keyed by the tree) so reruns skip the walk.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GCProfiler } from 'node:v8'
import { elfOf } from '../src/binary/elf/elf-of.js'
import { machoOf } from '../src/binary/macho/macho-of.js'
import { peOf } from '../src/binary/pe/pe-of.js'
import { CollectedArtifact } from '../src/collect/collected-artifact.js'
import { fileType, TYPE_PROBE_BYTES } from '../src/collect/file-type.js'
import type { Artifact, FileType } from '../src/core/artifact.js'
import { DEFAULT_LIMITS } from '../src/core/limits.js'
import type { ArtifactContext, FinishContext } from '../src/core/plugin.js'
import { loadRegistered } from '../src/core/registered.js'
import type { BinarySummary, Problem } from '../src/core/types.js'
import { DETECTORS } from '../src/detectors.js'
import { buildIntel } from '../src/intel/build-index.js'

const TREE = process.argv[2] ?? '/tmp/vigil-bench-tree'
const RUNS = Number(process.argv[3] ?? 1)
const BINARY: ReadonlySet<FileType> = new Set(['elf', 'pe', 'macho', 'macho-fat'])

interface FileRec {
  path: string
  size: number
  type: FileType
}

/** Every regular file of the tree with its type from magic (symlinks not followed). */
function walk(root: string): FileRec[] {
  const cache = join(tmpdir(), `vigil-bench-binaries-${hash(root).slice(0, 12)}.json`)
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as FileRec[]
  const out: FileRec[] = []
  const head = Buffer.alloc(TYPE_PROBE_BYTES)
  const visit = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) visit(p)
      else if (e.isFile()) out.push(probe(p, head))
    }
  }
  visit(root)
  out.sort((a, b) => (a.path < b.path ? -1 : 1))
  writeFileSync(cache, JSON.stringify(out))
  return out
}

function probe(path: string, head: Buffer): FileRec {
  const fd = openSync(path, 'r')
  try {
    const n = readSync(fd, head, 0, head.length, 0)
    return { path, size: fstatSync(fd).size, type: fileType(head.subarray(0, n)) }
  } finally {
    closeSync(fd)
  }
}

function hash(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex')
}

/** An artifact over bytes already read (no hashing on the timed path). */
function artifact(rec: FileRec, bytes: Buffer | undefined): Artifact {
  return new CollectedArtifact({
    path: rec.path.slice(TREE.length + 1),
    size: bytes?.length ?? rec.size,
    type: rec.type,
    hashes: { sha256: '0'.repeat(64) },
    fsPath: rec.path,
    depth: 0,
    ...(bytes
      ? { content: bytes }
      : { load: async () => ({ bytes: readFileSync(rec.path), release: () => {} }) }),
  })
}

interface Cost {
  calls: number
  cpuUs: number
  allocated: number
}

const costs = new Map<string, Cost>()

/** Runs `fn`, adding its CPU time and V8 heap allocation to the step's totals. */
async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const gc = new GCProfiler()
  gc.start()
  const heap0 = process.memoryUsage().heapUsed
  const cpu0 = process.cpuUsage()
  const out = await fn()
  const cpu = process.cpuUsage(cpu0)
  const heap1 = process.memoryUsage().heapUsed
  const freed = gc
    .stop()
    .statistics.reduce(
      (t, s) => t + s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize,
      0,
    )
  const c = costs.get(name) ?? { calls: 0, cpuUs: 0, allocated: 0 }
  c.calls++
  c.cpuUs += cpu.user + cpu.system
  c.allocated += Math.max(0, heap1 - heap0 + freed)
  costs.set(name, c)
  return out
}

const PARSERS: Record<string, (a: Artifact) => Promise<unknown>> = {
  elf: elfOf,
  pe: peOf,
  macho: machoOf,
  'macho-fat': machoOf,
}

async function run(files: FileRec[]): Promise<void> {
  costs.clear()
  const detectors = (await loadRegistered(DETECTORS)).filter((d) => d.name.startsWith('structure/'))
  const problems: Problem[] = []
  const binaries: BinarySummary[] = []
  const base = {
    intel: buildIntel([], []),
    limits: DEFAULT_LIMITS,
    signal: new AbortController().signal,
    problem: (p: Problem) => problems.push(p),
  }
  const ctx: ArtifactContext = { ...base, summarize: (s) => binaries.push(s) }
  const metas = files.map((f) => artifact(f, undefined))
  await step('wants, every file (no bytes)', () => {
    let n = 0
    for (const a of metas) for (const d of detectors) if (d.wants?.(a)) n++
    return n
  })
  for (const rec of files) {
    if (!BINARY.has(rec.type)) continue
    const bytes = readFileSync(rec.path)
    if (bytes.length > DEFAULT_LIMITS.maxParseBytes) continue
    const a = artifact(rec, bytes)
    await step(`parse ${rec.type === 'macho-fat' ? 'macho' : rec.type}`, () =>
      PARSERS[rec.type]!(a),
    )
    for (const d of detectors) {
      if (d.detect && d.wants?.(a)) await step(`detect ${d.name}`, () => d.detect!(a, ctx))
    }
  }
  const finish: FinishContext = {
    ...base,
    components: [],
    binaries,
    files: () =>
      metas.map((a) => ({
        path: a.path,
        size: a.size,
        type: a.type,
        hashes: a.hashes,
      })),
  }
  for (const d of detectors) if (d.finish) await step(`finish ${d.name}`, () => d.finish!(finish))
}

const mib = (n: number) => (n / 2 ** 20).toFixed(1)

const files = walk(TREE)
const bins = files.filter((f) => BINARY.has(f.type))
console.log(
  `${TREE}: ${files.length} files; binaries: ${['elf', 'pe', 'macho', 'macho-fat']
    .map((t) => `${t} ${bins.filter((b) => b.type === t).length}`)
    .join(', ')}`,
)
let best: Map<string, Cost> | undefined
let bestCpu = Number.POSITIVE_INFINITY
for (let i = 0; i < RUNS; i++) {
  const cpu0 = process.cpuUsage()
  await run(files)
  const cpu = process.cpuUsage(cpu0)
  const total = cpu.user + cpu.system
  console.log(`run ${i + 1}: ${(total / 1e6).toFixed(2)} s CPU (reads included)`)
  if (total < bestCpu) {
    bestCpu = total
    best = new Map(costs)
  }
}
const rows = [...(best ?? [])].sort((a, b) => b[1].cpuUs - a[1].cpuUs)
let sumCpu = 0
let sumAlloc = 0
console.log('\n| step | calls | CPU s | allocated MiB |\n|---|---|---|---|')
for (const [name, c] of rows) {
  sumCpu += c.cpuUs
  sumAlloc += c.allocated
  console.log(`| ${name} | ${c.calls} | ${(c.cpuUs / 1e6).toFixed(2)} | ${mib(c.allocated)} |`)
}
console.log(`| total | | ${(sumCpu / 1e6).toFixed(2)} | ${mib(sumAlloc)} |`)
console.log(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB`)
