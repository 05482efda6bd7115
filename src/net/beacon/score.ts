import { SERIES_CAP } from '../series.js'
import { bowley, ceil3, coefficientOfVariation, mad, median, quartiles, round3 } from '../stats.js'

/** RITA v5 defaults (default_config.hjson). */
export const RITA = {
  uniqueConnectionThreshold: 4,
  histogramBins: 24,
  modeSensitivity: 0.05,
  bimodalMinHoursSeen: 11,
  bimodalOutlierRemoval: 1,
  durationMinHoursSeen: 6,
  durationConsistencyIdealHours: 12,
  window: 86_400,
} as const

/**
 * Vigil's widening of the MAD term: a dispersion MAD/median up to this much still counts as fully
 * regular. Uniform jitter of ±30 % has MAD/median ≈ 0.15.
 */
export const JITTER_TOLERANCE = 0.2

export interface Components {
  ts: number
  /** null when the log gives no per-connection sizes (DNS, SNI without conn.log). */
  ds: number | null
  dur: number
  hist: number
  score: number
}

export interface BeaconScore {
  /** RITA v5 exactly, over the last 24 h of the dataset. Absent when the pair is not scored there. */
  rita?: Components
  /** Over the pair's own active span (its last 24 h), jitter-tolerant. Absent when too short. */
  active?: Components
  /** The better of the two. */
  score: number
  /** Median gap between connections, seconds. */
  period: number
  /** MAD / median of the gaps (0 = perfectly regular). */
  jitter: number
  /** Connections scored (in the window that gave the score). */
  connections: number
  first: number
  last: number
}

/** The values of a sorted array in [lo, hi]. */
function within(sorted: Float64Array, lo: number, hi: number): Float64Array {
  let a = 0
  while (a < sorted.length && sorted[a]! < lo) a++
  let b = sorted.length
  while (b > a && sorted[b - 1]! > hi) b--
  return sorted.subarray(a, b)
}

function uniqueCount(sorted: Float64Array): number {
  let n = sorted.length ? 1 : 0
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) n++
  return n
}

function gaps(sorted: Float64Array): Float64Array {
  let n = 0
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! > sorted[i - 1]!) n++
  const out = new Float64Array(n)
  let w = 0
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!
    if (d > 0) out[w++] = d
  }
  return out.sort()
}

/** The robust summary RITA's statistical score is made of. */
export interface Dispersion {
  skewScore: number
  median: number
  mad: number
}

export function dispersion(sorted: ArrayLike<number>): Dispersion {
  const [q1, q2, q3] = quartiles(sorted)
  const med = median(sorted)
  return { skewScore: 1 - Math.abs(bowley(q1, q2, q3)), median: med, mad: mad(sorted, med) }
}

/**
 * RITA's calculateStatisticalScore: mean of (1 − |Bowley skew|) and the MAD score
 * (median − MAD)/median (`defaultMad` when the median is under 1). With `tolerance` > 0 the MAD
 * score stays 1 up to MAD/median = tolerance, then falls linearly to 0 at MAD = median.
 */
export function scoreOf(d: Dispersion, defaultMad: number, tolerance = 0): number {
  let madScore = defaultMad
  if (d.median >= 1) {
    const r = d.mad / d.median
    madScore = tolerance > 0 ? Math.min(1, (1 - r) / (1 - tolerance)) : 1 - r
  }
  if (!(madScore > 0)) madScore = 0
  return round3((d.skewScore + madScore) / 2)
}

export function statisticalScore(
  sorted: ArrayLike<number>,
  defaultMad: number,
  tolerance = 0,
): number {
  return scoreOf(dispersion(sorted), defaultMad, tolerance)
}

/** Counts per bin of `nBins` equal bins over [lo, hi]. */
export function histogram(
  sorted: ArrayLike<number>,
  lo: number,
  hi: number,
  nBins: number,
): Float64Array {
  const bins = new Float64Array(nBins)
  const width = (hi - lo) / nBins
  for (let i = 0; i < sorted.length; i++) {
    const b = width > 0 ? Math.floor((sorted[i]! - lo) / width) : 0
    bins[Math.min(nBins - 1, Math.max(0, b))]!++
  }
  return bins
}

/** RITA's bimodal fit: share of non-empty bins in the two most common count buckets. */
export function bimodalFit(bins: ArrayLike<number>, minBars: number): number {
  let maxFreq = 0
  let bars = 0
  for (let i = 0; i < bins.length; i++) {
    if (bins[i]! > maxFreq) maxFreq = bins[i]!
    if (bins[i]! > 0) bars++
  }
  if (bars < minBars || maxFreq === 0) return 0
  const size = Math.ceil(maxFreq * RITA.modeSensitivity)
  const buckets = new Map<number, number>()
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i]!
    if (c <= 0) continue
    const bucket = Math.floor(c / size) * size
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1)
  }
  const top = [...buckets.values()].sort((a, b) => b - a)
  const fit = ((top[0] ?? 0) + (top[1] ?? 0)) / Math.max(bars - RITA.bimodalOutlierRemoval, 1)
  return Math.min(1, round3(fit))
}

function histScore(bins: Float64Array, minBars: number): number {
  const cv = coefficientOfVariation(bins)
  const cvScore = cv > 1 ? 0 : round3(1 - cv)
  return Math.max(cvScore, bimodalFit(bins, minBars))
}

/** Longest run of consecutive non-empty bins; `wrap` joins the end of the day to its start. */
function longestRun(bins: ArrayLike<number>, wrap: boolean): number {
  const n = bins.length
  let best = 0
  let run = 0
  for (let i = 0; i < (wrap ? 2 * n : n); i++) {
    if (bins[i % n]! > 0) {
      run++
      best = Math.max(best, Math.min(run, n))
    } else run = 0
  }
  return best
}

function nonEmpty(bins: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < bins.length; i++) if (bins[i]! > 0) n++
  return n
}

function bytesDispersion(bytes: Uint32Array): Dispersion | null {
  if (bytes.length < 3) return null
  return dispersion(new Float64Array(bytes).sort())
}

function combine(ts: number, ds: number | null, dur: number, hist: number): number {
  const parts = ds === null ? [ts, dur, hist] : [ts, ds, dur, hist]
  return round3(parts.reduce((a, b) => a + b, 0) / parts.length)
}

/** RITA v5's beacon score over the dataset window [lo, hi] (last 24 h). */
export function ritaComponents(
  times: Float64Array,
  bytes: Uint32Array,
  lo: number,
  hi: number,
  pre?: { gaps: Dispersion; bytes: Dispersion | null },
): Components {
  const g = pre?.gaps ?? dispersion(gaps(times))
  const b = pre ? pre.bytes : bytesDispersion(bytes)
  const ts = scoreOf(g, 1)
  const ds = b === null ? null : scoreOf(b, 0)
  const bins = histogram(times, lo, hi, RITA.histogramBins)
  const hist = histScore(bins, RITA.bimodalMinHoursSeen)
  let dur = 0
  if (nonEmpty(bins) >= RITA.durationMinHoursSeen) {
    const span = hi - lo
    const coverage =
      span > 0 ? Math.min(1, ceil3((times[times.length - 1]! - times[0]!) / span)) : 1
    const consistency = Math.min(
      1,
      ceil3(longestRun(bins, true) / RITA.durationConsistencyIdealHours),
    )
    dur = Math.max(coverage, consistency)
  }
  return { ts, ds, dur, hist, score: combine(ts, ds, dur, hist) }
}

/** Shortest active span, in seconds, worth scoring on its own. */
export const ACTIVE_MIN_SPAN = 3600
/** Fewest distinct timestamps for the active-span score. */
export const ACTIVE_MIN_UNIQUE = 12

/**
 * The pair's own active span (its last 24 h): the histogram has one bin per two connections (6 to
 * 24 bins) over that span, duration is the share of non-empty bins, and the MAD terms tolerate
 * jitter. A beacon that woke up after a long sleep, or a few hours before the log ends, keeps its
 * regularity here where RITA's day-wide bins would dilute it.
 */
export function activeComponents(
  times: Float64Array,
  bytes: Uint32Array,
  pre?: { gaps: Dispersion; bytes: Dispersion | null },
): Components | undefined {
  const lo = times[0]!
  const hi = times[times.length - 1]!
  const unique = uniqueCount(times)
  if (hi - lo < ACTIVE_MIN_SPAN || unique < ACTIVE_MIN_UNIQUE) return undefined
  const nBins = Math.min(RITA.histogramBins, Math.floor(unique / 2))
  const bins = histogram(times, lo, hi, nBins)
  const g = pre?.gaps ?? dispersion(gaps(times))
  const b = pre ? pre.bytes : bytesDispersion(bytes)
  const ts = scoreOf(g, 1, JITTER_TOLERANCE)
  const ds = b === null ? null : scoreOf(b, 0, JITTER_TOLERANCE)
  const hist = histScore(bins, Math.ceil((RITA.bimodalMinHoursSeen / RITA.histogramBins) * nBins))
  const dur = round3(nonEmpty(bins) / nBins)
  return { ts, ds, dur, hist, score: combine(ts, ds, dur, hist) }
}

/**
 * Scores one pair's series against the dataset bounds. Undefined when the pair is not a beacon
 * candidate: fewer than 4 distinct timestamps, a strobe, or (Vigil's gate, default off here) a
 * timestamp score under `periodicityGate`, i.e. traffic that is steady but not periodic.
 */
export function scoreBeacon(
  ts: Uint32Array,
  bytes: Uint32Array,
  datasetMin: number,
  datasetMax: number,
  periodicityGate = 0,
): BeaconScore | undefined {
  if (ts.length < RITA.uniqueConnectionThreshold) return undefined
  const hi = Math.floor(datasetMax)
  const lo = Math.max(Math.floor(datasetMin), hi - RITA.window)
  // RITA takes the pair's whole (capped) series; only the histogram bins span the last 24 h, and
  // earlier connections fall into the first bin. This reproduces RITA's published test vectors.
  const allTimes = new Float64Array(ts).sort()
  const last = allTimes.length ? allTimes[allTimes.length - 1]! : 0
  const ownTimes = within(allTimes, last - RITA.window, last)
  const ok = (t: Float64Array) =>
    uniqueCount(t) >= RITA.uniqueConnectionThreshold && t.length < SERIES_CAP
  // one set of robust statistics when the pair's own day is its whole series (the usual case)
  const shared = ownTimes.length === allTimes.length && ok(allTimes)
  const gapStats = shared ? dispersion(gaps(allTimes)) : undefined
  // the periodicity gate, on RITA's timestamp score over the pair's own last 24 h: irregular
  // (Poisson-like) timing scores about 0.5 there, ±30 % jitter about 0.9
  if (periodicityGate > 0) {
    const own = gapStats ?? (ownTimes.length >= 4 ? dispersion(gaps(ownTimes)) : undefined)
    if (!own || scoreOf(own, 1) < periodicityGate) return undefined
  }
  const pre = gapStats ? { gaps: gapStats, bytes: bytesDispersion(bytes) } : undefined
  const rita = ok(allTimes) ? ritaComponents(allTimes, bytes, lo, hi, pre) : undefined
  const active = ok(ownTimes) ? activeComponents(ownTimes, bytes, pre) : undefined
  if (!rita && !active) return undefined
  const useActive = active !== undefined && (rita === undefined || active.score > rita.score)
  const times = useActive ? ownTimes : allTimes
  const g = gaps(times)
  const period = median(g)
  const jitter = period > 0 ? round3(mad(g, period) / period) : 0
  return {
    ...(rita ? { rita } : {}),
    ...(active ? { active } : {}),
    score: Math.max(rita?.score ?? 0, active?.score ?? 0),
    period: round3(period),
    jitter,
    connections: times.length,
    first: times[0]!,
    last: times[times.length - 1]!,
  }
}
