import { makeFinding } from '../../core/finding-id.js'
import type { Confidence, Finding, Location, Severity } from '../../core/types.js'
import { type BeaconScore, scoreBeacon } from '../beacon/score.js'
import { isoOf } from '../input/time.js'
import { type Prevalence, prevalenceModifier } from '../prevalence.js'
import type { Pair } from '../series.js'
import { round3 } from '../stats.js'

/**
 * Timing must be this regular for a pair to be reported: RITA's duration and histogram terms
 * reward any steady traffic, so random (Poisson) connections from a busy pair score 0.7–0.85
 * overall while their timestamp score stays near 0.55. Jittered beacons (±30 %) score ≥ 0.9.
 */
export const PERIODICITY_GATE = 0.7

/** Pairs scoring below this are not reported (steady random traffic scores about 0.75–0.8). */
export const BEACON_REPORT_MIN = 0.8
/** Observation spans shorter than this give degenerate histogram and duration scores. */
export const SHORT_SPAN_SECONDS = 3600

export interface BeaconCandidate {
  pair: Pair
  beacon: BeaconScore
  prevalence: Prevalence
  /** score + prevalence modifier: the ranking key. */
  rank: number
  /** The destination hit intel (corroboration by the IOC layer). */
  corroborated: boolean
}

/**
 * Multicast and broadcast destinations (mDNS, SSDP, DHCPv6, router advertisements) are periodic by
 * design and cannot be a C2 server: not beacon candidates.
 */
export function isGroupAddress(dst: string): boolean {
  const host = dst.replace(/:\d+$/, '')
  if (/^ff[0-9a-f]{2}:/i.test(host)) return true
  const first = Number(host.split('.')[0])
  return (
    /^\d+\.\d+\.\d+\.\d+$/.test(host) &&
    ((first >= 224 && first <= 239) || host === '255.255.255.255')
  )
}

/** Scores every pair; returns candidates at or above BEACON_REPORT_MIN, best first. */
export function rankBeacons(
  pairs: Iterable<Pair>,
  datasetMin: number,
  datasetMax: number,
  prevalenceOf: (p: Pair) => Prevalence,
  corroborated: (p: Pair) => boolean,
  minScore = BEACON_REPORT_MIN,
  periodicityGate = PERIODICITY_GATE,
): BeaconCandidate[] {
  const out: BeaconCandidate[] = []
  for (const pair of pairs) {
    if (pair.strobe || (pair.kind === 'ip' && isGroupAddress(pair.dst))) continue
    const beacon = scoreBeacon(
      pair.ts.values(),
      pair.bytes.values(),
      datasetMin,
      datasetMax,
      periodicityGate,
    )
    if (!beacon || beacon.score < minScore) continue
    const prevalence = prevalenceOf(pair)
    const rank = round3(beacon.score + prevalenceModifier(prevalence))
    out.push({ pair, beacon, prevalence, rank, corroborated: corroborated(pair) })
  }
  return out.sort(
    (a, b) =>
      b.rank - a.rank ||
      b.beacon.score - a.beacon.score ||
      b.beacon.connections - a.beacon.connections ||
      (a.pair.src + a.pair.dst < b.pair.src + b.pair.dst ? -1 : 1),
  )
}

/**
 * Severity of a beacon (docs/network.md): timing alone is a heuristic that benign software
 * (updaters, telemetry) also shows, so it stays at medium or below; intel on the destination
 * makes it high. Short observations and destinations most hosts reach are capped lower.
 */
export function beaconSeverity(c: BeaconCandidate): { severity: Severity; confidence: Confidence } {
  if (c.corroborated) return { severity: 'high', confidence: 'high' }
  let severity: Severity = c.rank >= 0.9 ? 'medium' : c.rank >= 0.8 ? 'low' : 'info'
  const short = c.beacon.last - c.beacon.first < SHORT_SPAN_SECONDS
  const common = c.prevalence.network >= 4 && c.prevalence.share >= 0.5
  if (common) severity = 'info'
  else if (short && severity === 'medium') severity = 'low'
  return { severity, confidence: short ? 'low' : 'medium' }
}

const KIND_LABEL = {
  ip: 'direct connection',
  sni: 'named (TLS SNI / HTTP Host / proxy CONNECT)',
  url: 'URL path',
  dns: 'DNS query',
} as const

function hours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.round(seconds / 60)} min`
}

export function beaconFinding(
  c: BeaconCandidate,
  rankIndex: number,
  locationsOf: (p: Pair) => Location[],
): Finding {
  const { pair, beacon, prevalence } = c
  const { severity, confidence } = beaconSeverity(c)
  const span = beacon.last - beacon.first
  const via = pair.via.length ? ` via ${pair.via.join(', ')}` : ''
  return makeFinding({
    ruleId: 'net/beacon',
    detector: 'net/beacon',
    layer: 'network',
    severity,
    confidence,
    title: `Beaconing ${pair.src} → ${pair.dst}`,
    message:
      `${beacon.connections} connections over ${hours(span)}, about every ${Math.round(beacon.period)} s ` +
      `(jitter ${Math.round(beacon.jitter * 100)} %)${via}; beacon score ${beacon.score}` +
      `${beacon.rita ? ` (RITA v5 ${beacon.rita.score})` : ''}; reached by ${prevalence.sources} of ` +
      `${prevalence.network} hosts${c.corroborated ? '; the destination is in intel' : ''}.`,
    locations: locationsOf(pair),
    evidence: [
      {
        kind: 'beacon-score',
        src: pair.src,
        dst: pair.dst,
        destination: KIND_LABEL[pair.kind],
        pairKind: pair.kind,
        rank: rankIndex + 1,
        rankScore: c.rank,
        score: beacon.score,
        rita: beacon.rita ?? null,
        active: beacon.active ?? null,
        periodSeconds: beacon.period,
        jitter: beacon.jitter,
        connections: beacon.connections,
        totalConnections: pair.count,
        firstSeen: isoOf(beacon.first),
        lastSeen: isoOf(beacon.last),
        spanSeconds: span,
        prevalence: {
          sources: prevalence.sources,
          network: prevalence.network,
          share: round3(prevalence.share),
        },
        via: pair.via,
        corroborated: c.corroborated,
      },
    ],
  })
}
