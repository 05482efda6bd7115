/**
 * Rule-scanning throughput: the rule layer inside `vigil scan` (scan() running only the rule/yara
 * detector on its scan worker threads, one per core, walk, file typing and SHA-256 included)
 * against Debian's `yara -r -p 2` with the same rules on the same tree, warm page cache, in the
 * same run; and the engine alone on one thread, routed by header guards and as one whole set.
 * Goal (issue 4): vigil ≥ 1.0× yara -p 2. Not part of `npm test`.
 *
 *   node --import tsx bench/rules.ts [TREE] [RUNS]      (default /usr/bin, 3 runs; median reported)
 *   VIGIL_BENCH_RULES=bundled ...                      (only the bundled rules, not agreement.yar)
 *   VIGIL_BENCH_PER_RULE=1|only ...                    (CPU of each bundled rule alone, ELF vs other;
 *                                                      only: nothing else)
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, open, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compile, type YaraX } from '@litko/yara-x'
import { readIntelPath } from '../src/intel/importers/read.js'
import { yaraRuleNames } from '../src/intel/importers/yara.js'
import { RoutedRules } from '../src/rules/routed-rules.js'
import { BUNDLED_RULES_DIR, bundledRuleSources, combineRuleSources } from '../src/rules/sources.js'
import { parseYaraSource } from '../src/rules/yara-source.js'

/** The built library when present (`npm run build`): scan threads started from TypeScript sources
 * would each compile Vigil with tsx, a cost the CLI does not have. */
const DIST = join(import.meta.dirname, '..', 'dist')
const LIB = existsSync(join(DIST, 'scan', 'scan.js'))
  ? DIST
  : join(import.meta.dirname, '..', 'src')
const { scan } = (await import(
  join(LIB, 'scan', 'scan.js')
)) as typeof import('../src/scan/scan.js')
const { buildIntel } = (await import(
  join(LIB, 'intel', 'build-index.js')
)) as typeof import('../src/intel/build-index.js')
const TREE = process.argv[2] ?? '/usr/bin'
const RUNS = Number(process.argv[3] ?? 3)
const AGREEMENT = join(import.meta.dirname, '..', 'src', 'rules', 'testdata', 'agreement.yar')

interface File {
  path: string
  size: number
  elf: boolean
}

async function regularFiles(dir: string): Promise<File[]> {
  const out: File[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await regularFiles(p)))
    else if (e.isFile()) {
      const size = (await lstat(p)).size
      if (size > 0) out.push({ path: p, size, elf: await isElf(p) })
    }
  }
  return out
}

async function isElf(path: string): Promise<boolean> {
  const f = await open(path, 'r').catch(() => undefined)
  if (!f) return false
  try {
    const { buffer, bytesRead } = await f.read(Buffer.alloc(4), 0, 4, 0)
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x464c457f
  } finally {
    await f.close()
  }
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Median wall ms and its run's CPU ms (this process incl. worker threads, or the child's from GNU time). */
async function timed(
  fn: () => Promise<number | undefined> | number | undefined,
): Promise<[number, number]> {
  const runs: [number, number][] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const cpu = cpuMs()
    const childCpu = await fn()
    runs.push([performance.now() - t, childCpu ?? cpuMs() - cpu])
  }
  return runs.sort((a, b) => a[0] - b[0])[Math.floor(runs.length / 2)]!
}

const load = async () =>
  (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ').slice(0, 3).join(' ')

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
const bundledText = combineRuleSources(await bundledRuleSources()).text
const text = combineRuleSources([...(await bundledRuleSources()), ...extraSources]).text
const ruleCount = yaraRuleNames(text).length
process.stdout.write(
  `vigil from ${LIB === DIST ? 'dist/ (built)' : 'src/ (tsx)'}; tree ${TREE}: ${files.length} files (${files.filter((f) => f.elf).length} ELF), ${mib.toFixed(0)} MiB; ${ruleFiles.length} rule files; load ${await load()}\n`,
)

/** Each bundled rule alone, and the routed and whole sets, over the ELF and the other files. */
function perRule(): void {
  const groups = [
    ['ELF', files.filter((f) => f.elf)],
    ['other', files.filter((f) => !f.elf)],
  ] as const
  const cost = (scanOne: (f: File) => unknown, list: readonly File[]) => {
    let best = Number.POSITIVE_INFINITY
    for (let i = 0; i < 2; i++) {
      const t = cpuMs()
      for (const f of list) scanOne(f)
      best = Math.min(best, cpuMs() - t)
    }
    return best / 1000
  }
  const mibOf = (list: readonly File[]) => list.reduce((n, f) => n + f.size, 0) / 1024 / 1024
  process.stdout.write(
    `${'bundled rule alone (CPU s, scanFile)'.padEnd(46)} ${groups.map(([g, l]) => `${g} (${mibOf(l).toFixed(0)} MiB)`.padStart(18)).join(' ')}\n`,
  )
  const row = (name: string, scanOne: (f: File) => unknown) =>
    process.stdout.write(
      `${name.padEnd(46)} ${groups.map(([, l]) => cost(scanOne, l).toFixed(2).padStart(18)).join(' ')}\n`,
    )
  const nothing = compile('rule nothing { condition: false }') as YaraX
  row('(a rule with no pattern: mapping only)', (f) => nothing.scanFile(f.path))
  for (const r of parseYaraSource(bundledText)?.rules ?? []) {
    const one = compile(bundledText.slice(r.start, r.end)) as YaraX
    row(r.name, (f) => one.scanFile(f.path))
  }
  const whole = compile(bundledText) as YaraX
  row('all 14, one whole set', (f) => whole.scanFile(f.path))
  const routed = new RoutedRules(bundledText)
  row('all 14, routed by header guards', (f) => routed.scanFile(f.path, f.size))
}

/** Runs yara under GNU time; returns the child's user+system CPU in ms. */
const yaraCli = (threads: number) => () => {
  const args = ['-f', '@cpu %U %S', 'yara', '-w', '-N', '-r', '-p', String(threads)]
  const run = spawnSync('/usr/bin/time', [...args, ...ruleFiles, TREE], {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const m = /@cpu ([\d.]+) ([\d.]+)/.exec(run.stderr?.toString() ?? '')
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined
}
const intel = buildIntel(bundledOnly ? [] : (await readIntelPath(AGREEMENT)).records, [])
const vigil = (plugins: string[]) => async () => {
  await scan({ paths: [TREE], intel, plugins })
  return undefined
}
const whole = compile(text) as YaraX
const wholeOne = () => {
  for (const f of files) whole.scanFile(f.path)
  return undefined
}
const routed = new RoutedRules(text)
const routedOne = () => {
  for (const f of files) routed.scanFile(f.path, f.size)
  return undefined
}

if (process.env.VIGIL_BENCH_PER_RULE) perRule()
if (process.env.VIGIL_BENCH_PER_RULE === 'only') process.exit(0)
const rows: [string, [number, number]][] = []
rows.push(['yara -r -p 2 (Debian 4.2.3)', await timed(yaraCli(2))])
rows.push(['vigil scan, rule/yara only (scan threads: 2)', await timed(vigil(['rule/yara']))])
rows.push(['vigil scan, no plugins (walk, read, hash)', await timed(vigil([]))])
rows.push(['yara -r -p 1', await timed(yaraCli(1))])
rows.push(['YARA-X scanFile, routed sets, 1 thread', await timed(routedOne)])
rows.push(['YARA-X scanFile, one whole set, 1 thread', await timed(wholeOne)])
process.stdout.write(
  `rules: ${ruleCount} (${bundledOnly ? 'bundled only' : 'bundled + agreement.yar'}); routing ${JSON.stringify(routed.shape)}; load after ${await load()}\n`,
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
