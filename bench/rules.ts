/**
 * Rule-scanning throughput: YARA-X inside `vigil scan` (the rule/yara detector's 2-worker pool,
 * behind the scan pipeline's walk and hashing) against Debian's `yara -r -p 2` with the same rules
 * on the same tree, warm page cache, in the same run. Also the engine choices behind the design:
 * YARA-X's synchronous scanFile on one thread, its async API, and `yara -p 1`.
 * Goal (issue 4): vigil ≥ 1.0× yara -p 2. Not part of `npm test`.
 *
 *   node --import tsx bench/rules.ts [TREE] [RUNS]      (default /usr/bin, 3 runs; median reported)
 *   VIGIL_BENCH_RULES=bundled ...                      (only the bundled rules, not agreement.yar)
 */
import { spawnSync } from 'node:child_process'
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compile } from '@litko/yara-x'
import { buildIntel } from '../src/intel/build-index.js'
import { readIntelPath } from '../src/intel/importers/read.js'
import { yaraRuleNames } from '../src/intel/importers/yara.js'
import { yaraDetector } from '../src/rules/detector.js'
import { BUNDLED_RULES_DIR, bundledRuleSources, combineRuleSources } from '../src/rules/sources.js'
import { scan } from '../src/scan/scan.js'

const TREE = process.argv[2] ?? '/usr/bin'
const RUNS = Number(process.argv[3] ?? 3)
const AGREEMENT = join(import.meta.dirname, '..', 'src', 'rules', 'testdata', 'agreement.yar')

async function regularFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await regularFiles(p)))
    else if (e.isFile()) out.push({ path: p, size: (await lstat(p)).size })
  }
  return out
}

/** Median wall ms and its run's CPU ms (this process incl. worker threads, or the child's from GNU time). */
async function timed(
  fn: () => Promise<number | undefined> | number | undefined,
): Promise<[number, number]> {
  const runs: [number, number][] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const cpu = process.cpuUsage()
    const childCpu = await fn()
    const used = process.cpuUsage(cpu)
    runs.push([performance.now() - t, childCpu ?? (used.user + used.system) / 1000])
  }
  return runs.sort((a, b) => a[0] - b[0])[Math.floor(runs.length / 2)]!
}

const files = await regularFiles(TREE)
const bytes = files.reduce((n, f) => n + f.size, 0)
const mib = bytes / 1024 / 1024
for (const f of files) await readFile(f.path).catch(() => undefined) // warm the page cache
const bundledOnly = process.env.VIGIL_BENCH_RULES === 'bundled'
const extra = bundledOnly ? [] : [AGREEMENT]
const ruleFiles = [
  ...(await readdir(BUNDLED_RULES_DIR))
    .filter((n) => n.endsWith('.yar'))
    .map((n) => join(BUNDLED_RULES_DIR, n)),
  ...extra,
]
const extraSources = await Promise.all(
  extra.map(async (f) => ({ namespace: 'agreement', text: await readFile(f, 'utf8'), origin: f })),
)
const text = combineRuleSources([...(await bundledRuleSources()), ...extraSources]).text
const ruleCount = yaraRuleNames(text).length
process.stdout.write(
  `tree ${TREE}: ${files.length} files, ${mib.toFixed(0)} MiB; ${ruleFiles.length} rule files; load ${(await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ').slice(0, 3).join(' ')}\n`,
)

/** Runs yara under GNU time; returns the child's user+system CPU in ms. */
const yaraCli = (threads: number) => () => {
  const args = [
    '-f',
    '@cpu %U %S',
    'yara',
    '-w',
    '-N',
    '-r',
    '-p',
    String(threads),
    ...ruleFiles,
    TREE,
  ]
  const run = spawnSync('/usr/bin/time', args, {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const m = /@cpu ([\d.]+) ([\d.]+)/.exec(run.stderr?.toString() ?? '')
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined
}
const intel = buildIntel(bundledOnly ? [] : (await readIntelPath(AGREEMENT)).records, [])
const vigil = async () => {
  await scan({ paths: [TREE], intel, detectors: [yaraDetector()], catalogers: [], concurrency: 8 })
  return undefined
}
const rules = compile(text)
const syncOne = () => {
  for (const f of files) rules.scanFile(f.path)
  return undefined
}
const asyncOne = async () => {
  for (const f of files) await rules.scanFileAsync(f.path)
  return undefined
}

const rows: [string, [number, number]][] = []
rows.push(['yara -r -p 2 (Debian 4.2.3)', await timed(yaraCli(2))])
rows.push(['vigil scan, rule/yara detector only (2 workers)', await timed(vigil)])
rows.push(['yara -r -p 1', await timed(yaraCli(1))])
rows.push(['YARA-X scanFile, sync, 1 thread', await timed(syncOne)])
rows.push(['YARA-X scanFileAsync, awaited one by one', await timed(asyncOne)])
process.stdout.write(
  `rules: ${ruleCount} (${bundledOnly ? 'bundled only' : 'bundled + agreement.yar'})\n`,
)
process.stdout.write(
  `${'run'.padEnd(50)} ${'wall'.padStart(9)} ${'MiB/s'.padStart(8)} ${'CPU'.padStart(9)} ${'MiB/CPU-s'.padStart(10)}\n`,
)
for (const [name, [ms, cpu]] of rows) {
  process.stdout.write(
    `${name.padEnd(50)} ${(ms / 1000).toFixed(2).padStart(7)} s ${(mib / (ms / 1000)).toFixed(1).padStart(8)} ${(cpu / 1000).toFixed(2).padStart(7)} s ${(mib / (cpu / 1000)).toFixed(1).padStart(10)}\n`,
  )
}
const ratio = rows[0]![1][0] / rows[1]![1][0]
const cpuRatio = rows[0]![1][1] / rows[1]![1][1]
process.stdout.write(
  `vigil / yara -p 2 throughput: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x per CPU-second (goal >= 1.0x)\n`,
)
process.exitCode = ratio >= 1 ? 0 : 1
