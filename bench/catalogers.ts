// CPU per cataloger over a tree: `scan()` on the calling thread with one file at a time (so no
// other work runs while a cataloger does), every registered cataloger wrapped to count the
// artifacts it wants, the bytes it asks for and the CPU (process.cpuUsage, user + sys) of its
// wants() and catalog() calls. Before each catalog() the artifact's bytes are read and the shared
// binary parsers (elfOf, peOf, machoOf) run, uncounted: in a full scan the structure detectors
// pay for both, and reading is I/O. Each catalog() runs twice and the lower CPU counts (a garbage
// collection falling into one call is not its cost). wants() is timed afterwards in a loop over
// every artifact (best of 3). Usage:
//   node --import tsx bench/catalogers.ts TREE [OUT.json]
import { writeFile } from 'node:fs/promises'
import { elfOf } from '../src/binary/elf/elf-of.js'
import { machoOf } from '../src/binary/macho/macho-of.js'
import { peOf } from '../src/binary/pe/pe-of.js'
import type { Artifact } from '../src/core/artifact.js'
import type { ArtifactContext, Cataloger } from '../src/core/plugin.js'
import { loadRegistered } from '../src/core/registered.js'
import { buildIntel } from '../src/intel/build-index.js'
import { CATALOGERS } from '../src/inventory/catalogers.js'
import { scan } from '../src/scan/scan.js'

interface Stat {
  name: string
  wantsMs: number
  catalogMs: number
  files: number
  bytesRead: number
  components: number
  /** The five artifacts that cost it the most CPU. */
  slowest: { path: string; ms: number }[]
}

const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

/** The artifact as the cataloger sees it, counting the bytes it asks for. */
function counting(a: Artifact, s: Stat): Artifact {
  return {
    path: a.path,
    name: a.name,
    size: a.size,
    type: a.type,
    hashes: a.hashes,
    ...(a.fsPath !== undefined && { fsPath: a.fsPath }),
    depth: a.depth,
    ...(a.inMemory !== undefined && { inMemory: a.inMemory }),
    bytes: () => {
      s.bytesRead += a.size
      return a.bytes()
    },
    memo: (key, make) => a.memo(key, make),
  }
}

async function warm(a: Artifact): Promise<void> {
  await a.bytes().catch(() => undefined)
  await Promise.all([elfOf(a), peOf(a), machoOf(a)]).catch(() => undefined)
}

let turn: Promise<void> = Promise.resolve()

function timed(c: Cataloger, s: Stat): Cataloger {
  return {
    name: c.name,
    version: c.version,
    wants: (a) => {
      const yes = c.wants(a)
      if (yes) s.files++
      return yes
    },
    catalog: (a: Artifact, ctx: ArtifactContext) => {
      // One catalog() at a time: those of one artifact run concurrently in the pipeline.
      const run = turn.then(async () => {
        await warm(a)
        const t = process.cpuUsage()
        const list = await c.catalog(counting(a, s), ctx)
        const first = cpuMs(t)
        // Again, and the lower of the two: a collection of the pipeline's garbage that happens to
        // fall inside one call is not that cataloger's cost.
        const t2 = process.cpuUsage()
        await c.catalog(a, { ...ctx, problem: () => {} })
        const ms = Math.min(first, cpuMs(t2))
        s.catalogMs += ms
        s.components += list.length
        s.slowest = [...s.slowest, { path: a.path, ms }].sort((x, y) => y.ms - x.ms).slice(0, 5)
        return list
      })
      turn = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    },
    ...(c.finish && { finish: c.finish }),
  }
}

const [tree, out] = process.argv.slice(2)
if (!tree) throw new Error('usage: bench/catalogers.ts TREE [OUT.json]')
const stats: Stat[] = []
/** Every artifact's identity, to time wants() in a loop afterwards (a clock per call costs more). */
const seen: Artifact[] = []
const record: Cataloger = {
  name: 'record',
  version: 0,
  wants: (a) => {
    seen.push(counting(a, { bytesRead: 0 } as Stat))
    return false
  },
  catalog: async () => [],
}
const catalogers = (await loadRegistered(CATALOGERS)).map((c) => {
  const s: Stat = {
    name: c.name,
    wantsMs: 0,
    catalogMs: 0,
    files: 0,
    bytesRead: 0,
    components: 0,
    slowest: [],
  }
  stats.push(s)
  return timed(c, s)
})
const started = process.cpuUsage()
const report = await scan({
  paths: [tree],
  intel: buildIntel([], []),
  detectors: [],
  catalogers: [record, ...catalogers],
  concurrency: 1,
})
const registered = await loadRegistered(CATALOGERS)
for (const s of stats) {
  const c = registered.find((x) => x.name === s.name)!
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < 3; run++) {
    const t = process.cpuUsage()
    for (const a of seen) c.wants(a)
    best = Math.min(best, cpuMs(t))
  }
  s.wantsMs = best
}
const total = cpuMs(started)
const mib = (n: number) => (n / 2 ** 20).toFixed(0)
console.log('| cataloger | files wanted | MiB asked for | wants() CPU ms | catalog() CPU ms |')
console.log('| --- | --- | --- | --- | --- |')
for (const s of stats.sort((x, y) => y.catalogMs - x.catalogMs))
  console.log(
    `| ${s.name} | ${s.files} | ${mib(s.bytesRead)} | ${s.wantsMs.toFixed(0)} | ${s.catalogMs.toFixed(0)} |`,
  )
for (const s of stats.filter((x) => x.catalogMs >= 100))
  console.log(`${s.name}: ${s.slowest.map((x) => `${x.path} ${x.ms.toFixed(0)} ms`).join(', ')}`)
console.log(
  `artifacts ${report.stats.files}, components ${report.components.length}, scan CPU ${(total / 1000).toFixed(1)} s`,
)
if (out) await writeFile(out, JSON.stringify({ stats, components: report.components }, null, 1))
