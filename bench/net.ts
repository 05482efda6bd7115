/**
 * Network-layer speed goal (issue 7): end-to-end (read, parse, aggregate, score) of a generated
 * 10-million-record Zeek conn.log at ≥ 1,000,000 records/s on the 2-core machine, with memory that
 * follows distinct pairs, not records. Run side by side on the same file:
 *   - vigil (streaming TypeScript, 2 worker threads, and 1 thread),
 *   - DuckDB through @duckdb/node-api (GROUP BY pair with list(ts), list(bytes), then the same scoring),
 *   - a one-line mawk count per (source, destination:port): the text-scanning floor.
 *
 *   npm run build && node --import tsx bench/net.ts [records=10000000] [existing-conn.log]
 *
 * (Without dist/ it runs from source and the worker threads pay for tsx compiling in each.)
 * The log goes to a temporary directory and is deleted afterwards (unless given). Each contender
 * runs in its own process so its peak RSS is its own. Exit 1 when vigil misses the goal.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeBigConnLog } from '../scripts/gen-netlogs.js'

const GOAL = 1_000_000

interface Result {
  name: string
  wallMs: number
  cpuMs: number
  maxRssMb: number
  records: number
  pairs: number
  note?: string
}

/** The compiled modules (npm run build) when present: workers then start without tsx. */
async function load<T>(distPath: string, source: () => Promise<T>): Promise<T> {
  const dist = new URL(`../dist/${distPath}`, import.meta.url)
  return existsSync(fileURLToPath(dist)) ? ((await import(dist.href)) as T) : source()
}

async function runVigil(path: string, threads: number): Promise<Omit<Result, 'name'>> {
  const { analyzeLogs } = await load('net/analyze.js', () => import('../src/net/analyze.js'))
  const { buildIntel } = await load(
    'intel/build-index.js',
    () => import('../src/intel/build-index.js'),
  )
  const t = performance.now()
  const a = await analyzeLogs([path], { intel: buildIntel([], []), threads })
  return {
    wallMs: performance.now() - t,
    cpuMs: 0,
    maxRssMb: 0,
    records: a.stats.records.conn,
    pairs: a.stats.pairs,
    note: `${a.stats.threads} thread(s) reading; ${a.beacons.length} beacons, ${a.findings.length} findings, ${a.stats.malformed} malformed`,
  }
}

async function runDuck(path: string): Promise<Omit<Result, 'name'>> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const { scoreBeacon } = await import('../src/net/beacon/score.js')
  const t = performance.now()
  const db = await DuckDBInstance.create(':memory:')
  const c = await db.connect()
  const names =
    'ts uid src sport dst dport proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents ip_proto'.split(
      ' ',
    )
  const types: Record<string, string> = { ts: 'DOUBLE', dport: 'INTEGER', orig_ip_bytes: 'UBIGINT' }
  const cols = names.map((n) => `'${n}':'${types[n] ?? 'VARCHAR'}'`).join(',')
  const r = await c.runAndReadAll(
    `SELECT src, dst, dport, count(*) AS n, list(CAST(floor(ts) AS UINTEGER)) AS ts, list(CAST(orig_ip_bytes AS UINTEGER)) AS b,
            min(ts) AS lo, max(ts) AS hi
     FROM read_csv('${path.replace(/'/g, "''")}', delim='\t', header=false, comment='#', auto_detect=false, columns={${cols}})
     GROUP BY ALL`,
  )
  const rows = r.getRowsJS() as [
    string,
    string,
    number,
    bigint,
    number[],
    number[],
    number,
    number,
  ][]
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  let records = 0
  for (const row of rows) {
    lo = Math.min(lo, row[6])
    hi = Math.max(hi, row[7])
    records += Number(row[3])
  }
  let beacons = 0
  for (const row of rows) {
    const s = scoreBeacon(Uint32Array.from(row[4]), Uint32Array.from(row[5]), lo, hi)
    if (s && s.score >= 0.8) beacons++
  }
  return {
    wallMs: performance.now() - t,
    cpuMs: 0,
    maxRssMb: 0,
    records,
    pairs: rows.length,
    note: `${beacons} pairs ≥ 0.8`,
  }
}

/** Runs one contender in a child process and reads its figures (wall, CPU of all threads, peak RSS). */
function child(name: string, path: string): Result {
  const self = fileURLToPath(import.meta.url)
  const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', name, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  if (out.status !== 0) throw new Error(`${name} failed: ${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Result
}

async function one(name: string, path: string): Promise<void> {
  const c0 = process.cpuUsage()
  const r =
    name === 'duckdb'
      ? await runDuck(path)
      : await runVigil(path, name === 'vigil-1-thread' ? 1 : 2)
  const c = process.cpuUsage(c0)
  const res = process.resourceUsage()
  const out: Result = { name, ...r, cpuMs: (c.user + c.system) / 1000, maxRssMb: res.maxRSS / 1024 }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

function mawk(path: string): Result {
  const t = performance.now()
  const prog = '!/^#/{c[$3"\\t"$5":"$6]++} END{n=0; for(k in c) n++; print n}'
  const out = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'mawk', '-F', '\t', prog, path], {
    encoding: 'utf8',
  })
  const wallMs = performance.now() - t
  const [user = 0, sys = 0, rssKb = 0] = out.stderr.trim().split('\n').pop()!.split(' ').map(Number)
  return {
    name: 'mawk count per pair',
    wallMs,
    cpuMs: (user + sys) * 1000,
    maxRssMb: rssKb / 1024,
    records: 0,
    pairs: Number(out.stdout.trim()),
  }
}

async function bench(): Promise<number> {
  const records = Number(process.argv[2] ?? 10_000_000)
  const given = process.argv[3]
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), 'vigil-bench-net-'))
  const path = given ?? join(dir!, 'conn.log')
  try {
    if (!given) {
      const t = performance.now()
      writeBigConnLog(path, records)
      console.error(
        `generated ${records} records (${(statSync(path).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      )
    }
    const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' })
      .split(' ')
      .slice(0, 3)
      .join(' ')
    const results: Result[] = []
    for (const name of ['vigil', 'vigil-1-thread', 'duckdb']) {
      const r = child(name, path)
      results.push(r)
      console.error(`${r.name}: ${(r.wallMs / 1000).toFixed(2)} s`)
    }
    const m = existsSync('/usr/bin/mawk') ? mawk(path) : undefined
    const n = results[0]!.records
    console.log(
      `load average before: ${load}; ${n} records, ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
    )
    console.log(
      '| contender | wall | records/s (wall) | CPU (all threads) | peak RSS | pairs | note |',
    )
    console.log('| --- | --- | --- | --- | --- | --- | --- |')
    for (const r of [...results, ...(m ? [m] : [])]) {
      const rate = Math.round(n / (r.wallMs / 1000)).toLocaleString('en')
      console.log(
        `| ${r.name} | ${(r.wallMs / 1000).toFixed(2)} s | ${rate} | ${r.cpuMs ? `${(r.cpuMs / 1000).toFixed(2)} s` : '—'} | ${r.maxRssMb ? `${r.maxRssMb.toFixed(0)} MB` : '—'} | ${r.pairs} | ${r.note ?? ''} |`,
      )
    }
    const rate = n / (results[0]!.wallMs / 1000)
    return rate >= GOAL ? 0 : 1
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--one') await one(process.argv[3]!, process.argv[4]!)
else process.exitCode = await bench()
