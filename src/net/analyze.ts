import { errorMessage } from '../core/errors.js'
import type { Finding, Problem, Target } from '../core/types.js'
import type { Intel } from '../intel/intel.js'
import { Aggregator } from './aggregate.js'
import { alertFinding } from './detect/alert-findings.js'
import {
  BEACON_REPORT_MIN,
  type BeaconCandidate,
  beaconFinding,
  PERIODICITY_GATE,
  rankBeacons,
} from './detect/beacons.js'
import { IocCollector } from './detect/ioc-collector.js'
import { iocFinding } from './detect/ioc-findings.js'
import {
  isRareNew,
  isStrobe,
  longConnFinding,
  pairLocations,
  rareFinding,
  strobeFinding,
} from './detect/pair-findings.js'
import { listLogFiles } from './input/files.js'
import { type DetectedFile, detectFile, readLogMaybeParallel, readOrder } from './input/read-log.js'
import { PrevalenceIndex } from './prevalence.js'
import type { Pair } from './series.js'

export interface AnalyzeOptions {
  intel: Intel
  signal?: AbortSignal
  /** Lowest timestamp score a reported beacon needs (default PERIODICITY_GATE, 0.7; 0 = RITA only). */
  periodicityGate?: number
  /** Threads reading a big plain conn.log (default 2; 1 = main thread only). */
  threads?: number
  /** Lowest beacon score reported (default BEACON_REPORT_MIN, 0.8). */
  beaconMin?: number
}

export interface NetStats {
  files: number
  bytes: number
  durationMs: number
  records: Aggregator['records']
  malformed: number
  pairs: number
  /** Most threads that read one file (2 when a big conn.log was split). */
  threads: number
  firstSeen?: number
  lastSeen?: number
}

export interface NetAnalysis {
  targets: Target[]
  files: DetectedFile[]
  findings: Finding[]
  problems: Problem[]
  /** Beacon candidates, best first (the findings carry the same facts). */
  beacons: BeaconCandidate[]
  stats: NetStats
}

/** Rare-destination notes are kept for pairs whose beacon score reaches this. */
const RARE_BEACON_MIN = 0.6

/**
 * The network layer: reads every log under `paths` (format from content), aggregates per pair and
 * runs the detectors. Bad lines and unreadable files become problems; nothing here throws on input.
 */
export async function analyzeLogs(
  paths: readonly string[],
  opts: AnalyzeOptions,
): Promise<NetAnalysis> {
  const started = performance.now()
  const problems: Problem[] = []
  const files = await detectAll(await listLogFiles(paths), problems)
  const ioc = new IocCollector(opts.intel)
  const agg = new Aggregator(ioc)
  let bytes = 0
  let threads = 1
  for (const [i, f] of files.entries()) {
    opts.signal?.throwIfAborted()
    if (f.format === 'unknown') {
      problems.push({
        stage: 'net-read',
        path: f.path,
        message: 'not a recognised log format; skipped',
        level: 'warning',
      })
      continue
    }
    try {
      if (await readLogMaybeParallel(f, agg, i, opts.threads ?? 2)) threads = opts.threads ?? 2
    } catch (err) {
      problems.push({
        stage: 'net-read',
        path: f.path,
        message: `read stopped: ${errorMessage(err)}`,
        level: 'error',
      })
    }
    bytes += f.size
  }
  const pathOf = (file: number) => files[file]?.path ?? '?'
  const findings = detect(agg, ioc, opts, pathOf)
  problems.push(...malformedProblems(agg, pathOf))
  return {
    targets: paths.map((p) => ({ path: p.split('\\').join('/'), kind: 'netlog' as const })),
    files,
    findings: findings.findings,
    problems,
    beacons: findings.beacons,
    stats: {
      files: files.length,
      bytes,
      durationMs: Math.round(performance.now() - started),
      records: agg.records,
      malformed: agg.malformedCount,
      pairs: [...Object.values(agg.pairs)].reduce((n, m) => n + m.size, 0),
      threads,
      ...(Number.isFinite(agg.min) ? { firstSeen: agg.min, lastSeen: agg.max } : {}),
    },
  }
}

async function detectAll(
  list: Awaited<ReturnType<typeof listLogFiles>>,
  problems: Problem[],
): Promise<DetectedFile[]> {
  const out: DetectedFile[] = []
  for (const f of list) {
    try {
      out.push(await detectFile(f))
    } catch (err) {
      problems.push({ stage: 'net-read', path: f.path, message: errorMessage(err), level: 'error' })
    }
  }
  // stable: by read order, then path
  return out.sort(
    (a, b) => readOrder(a) - readOrder(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  )
}

function detect(
  agg: Aggregator,
  ioc: IocCollector,
  opts: AnalyzeOptions,
  pathOf: (f: number) => string,
): { findings: Finding[]; beacons: BeaconCandidate[] } {
  for (const p of agg.pairs.ip.values()) ioc.pair(p, p.dst.slice(0, p.dst.lastIndexOf(':')))
  const findings: Finding[] = []
  const contacts = [...ioc.contacts.values()]
  for (const c of contacts) findings.push(iocFinding(c, pathOf))
  const hitBySrc = new Map<string, string[]>()
  for (const c of contacts) {
    const list = hitBySrc.get(c.src) ?? []
    list.push(...c.observed)
    hitBySrc.set(c.src, list)
  }
  const corroborated = (p: Pair) => {
    const seen = hitBySrc.get(p.src)
    if (!seen) return false
    const target = p.kind === 'ip' ? p.dst.slice(0, p.dst.lastIndexOf(':')) : p.dst
    return seen.some((o) => {
      const bare = o.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').toLowerCase()
      return (
        o === p.dst ||
        o === target ||
        bare === target ||
        bare.startsWith(`${target}/`) ||
        bare.endsWith(`.${target}`)
      )
    })
  }
  const prevalence = new PrevalenceIndex(agg)
  const prevOf = (p: Pair) => prevalence.of(p.kind, p.dst)
  const locationsOf = pairLocations(pathOf)
  const beacons = rankBeacons(
    agg.allPairs(),
    agg.min,
    agg.max,
    prevOf,
    corroborated,
    Math.min(RARE_BEACON_MIN, opts.beaconMin ?? BEACON_REPORT_MIN),
    opts.periodicityGate ?? PERIODICITY_GATE,
  )
  const reportMin = opts.beaconMin ?? BEACON_REPORT_MIN
  const reported = beacons.filter((b) => b.beacon.score >= reportMin)
  for (const [i, b] of reported.entries()) findings.push(beaconFinding(b, i, locationsOf))
  for (const b of beacons) {
    const prev = b.prevalence
    if (!isRareNew(prev, agg.min, agg.max)) continue
    const strong = b.beacon.score >= reportMin
    findings.push(
      rareFinding(
        b.pair,
        prev,
        strong ? 'low' : 'info',
        strong ? 'it also beacons' : `it shows weak periodicity (score ${b.beacon.score})`,
        pathOf,
      ),
    )
  }
  for (const p of agg.allPairs()) {
    if (p.kind === 'ip' || p.kind === 'sni') {
      const long = longConnFinding(p, pathOf)
      if (long) findings.push(long)
    }
    if (isStrobe(p)) findings.push(strobeFinding(p, prevOf(p), pathOf))
  }
  for (const g of agg.alerts.values()) findings.push(alertFinding(g, pathOf))
  return { findings, beacons: reported }
}

function malformedProblems(agg: Aggregator, pathOf: (f: number) => string): Problem[] {
  const out: Problem[] = agg.malformedKept.map((m) => ({
    stage: 'net-parse',
    path: pathOf(m.file),
    message: `line ${m.line}: ${m.message}`,
    level: 'warning' as const,
  }))
  const more = agg.malformedCount - agg.malformedKept.length
  if (more > 0)
    out.push({
      stage: 'net-parse',
      path: '',
      message: `${more} more malformed line(s) not listed`,
      level: 'warning',
    })
  return out
}
