import { makeFinding } from '../../core/finding-id.js'
import type { Finding, Location, Severity } from '../../core/types.js'
import { isoOf } from '../input/time.js'
import type { Prevalence } from '../prevalence.js'
import { type Pair, SERIES_CAP } from '../series.js'
import { round3 } from '../stats.js'

/** RITA's long-connection buckets: total duration of a pair, seconds. */
export const LONG_CONN_BUCKETS = [3600, 14_400, 28_800, 43_200] as const

/** RITA bucketed score 0.2 … 0.8 for a total duration, 0 under an hour. */
export function longConnScore(seconds: number): number {
  const [base, low, medium, high] = LONG_CONN_BUCKETS
  if (seconds < base) return 0
  if (seconds < low) return 0.2 + ((seconds - base) / (low - base)) * 0.2
  if (seconds < medium) return 0.4 + ((seconds - low) / (medium - low)) * 0.2
  return 0.6 + ((Math.min(seconds, high) - medium) / (high - medium)) * 0.2
}

const where = (p: Pair, pathOf: (f: number) => string): Location[] => {
  const out: Location[] = []
  if (p.firstFile >= 0) out.push({ path: pathOf(p.firstFile), line: p.firstLine })
  if (p.lastFile >= 0 && (p.lastFile !== p.firstFile || p.lastLine !== p.firstLine))
    out.push({ path: pathOf(p.lastFile), line: p.lastLine })
  return out
}

export function pairLocations(pathOf: (f: number) => string): (p: Pair) => Location[] {
  return (p) => where(p, pathOf)
}

/** Long connections (RITA): total duration of a pair ≥ 1 h. Under 4 h info, under 12 h low, else medium. */
export function longConnFinding(p: Pair, pathOf: (f: number) => string): Finding | undefined {
  const score = longConnScore(p.duration)
  if (score === 0) return undefined
  const severity: Severity = p.duration >= 43_200 ? 'medium' : p.duration >= 14_400 ? 'low' : 'info'
  return makeFinding({
    ruleId: 'net/long-connection',
    detector: 'net/long-connection',
    layer: 'network',
    severity,
    confidence: 'medium',
    title: `Long connection ${p.src} → ${p.dst}`,
    message: `${(p.duration / 3600).toFixed(1)} h of connection time over ${p.count} connection(s) (RITA score ${round3(score)}).`,
    locations: where(p, pathOf),
    evidence: [
      {
        kind: 'long-connection',
        src: p.src,
        dst: p.dst,
        totalDurationSeconds: round3(p.duration),
        connections: p.count,
        ritaScore: round3(score),
        firstSeen: isoOf(p.first),
        lastSeen: isoOf(p.last),
      },
    ],
  })
}

/** Strobe (RITA): ≥ 86,400 connections within 24 h, one a second; not beacon-scored. */
export function isStrobe(p: Pair): boolean {
  return p.strobe || (p.count >= SERIES_CAP && p.last - p.first <= 86_400)
}

export function strobeFinding(
  p: Pair,
  prevalence: Prevalence,
  pathOf: (f: number) => string,
): Finding {
  const common = prevalence.network >= 4 && prevalence.share >= 0.5
  return makeFinding({
    ruleId: 'net/strobe',
    detector: 'net/strobe',
    layer: 'network',
    severity: common ? 'info' : 'low',
    confidence: 'medium',
    title: `Strobe ${p.src} → ${p.dst}`,
    message: `${p.count} connections between ${isoOf(p.first)} and ${isoOf(p.last)}: one a second or more.`,
    locations: where(p, pathOf),
    evidence: [
      {
        kind: 'strobe',
        src: p.src,
        dst: p.dst,
        connections: p.count,
        firstSeen: isoOf(p.first),
        lastSeen: isoOf(p.last),
      },
    ],
  })
}

/**
 * Rare destination: reached by at most 2 % of hosts (at least one) and first seen after the
 * first tenth of the observed window. Reported only as corroboration of a pair that also
 * beacons or hit intel: low then, info when the pair only scores as a weak beacon.
 */
export function isRareNew(prev: Prevalence, datasetMin: number, datasetMax: number): boolean {
  if (prev.network < 4) return false
  if (prev.sources > Math.max(1, Math.floor(0.02 * prev.network))) return false
  return prev.firstSeen > datasetMin + 0.1 * (datasetMax - datasetMin)
}

export function rareFinding(
  p: Pair,
  prev: Prevalence,
  severity: Severity,
  why: string,
  pathOf: (f: number) => string,
): Finding {
  return makeFinding({
    ruleId: 'net/rare-destination',
    detector: 'net/rare-destination',
    layer: 'network',
    severity,
    confidence: 'low',
    title: `Rare new destination ${p.dst} from ${p.src}`,
    message: `${p.dst} is reached by ${prev.sources} of ${prev.network} hosts and was first seen ${isoOf(prev.firstSeen)}, inside the observed window; ${why}.`,
    locations: where(p, pathOf),
    evidence: [
      {
        kind: 'rare-destination',
        src: p.src,
        dst: p.dst,
        sources: prev.sources,
        network: prev.network,
        firstSeen: isoOf(prev.firstSeen),
        connections: p.count,
      },
    ],
  })
}
