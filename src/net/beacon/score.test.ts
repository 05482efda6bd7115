import { describe, expect, it } from 'vitest'
import { bowley, mad, quartiles } from '../stats.js'
import { bimodalFit, histogram, scoreBeacon, statisticalScore } from './score.js'

const series = (start: number, n: number, gap: (i: number) => number): Uint32Array => {
  const out = new Uint32Array(n)
  let t = start
  for (let i = 0; i < n; i++) {
    out[i] = Math.floor(t)
    t += gap(i)
  }
  return out
}

describe('RITA statistics', () => {
  it('quartiles exclude the middle element for odd n (montanaflynn/stats)', () => {
    expect(quartiles([1, 2, 3, 4, 5, 6, 7])).toEqual([2, 4, 6])
    expect(quartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual([2.5, 4.5, 6.5])
  })
  it('Bowley skew is zeroed under a spread of 10 and when Q2 sits on a quartile', () => {
    expect(bowley(1, 2, 8)).toBe(0)
    expect(bowley(10, 10, 40)).toBe(0)
    expect(bowley(10, 15, 40)).toBeCloseTo(20 / 30, 10)
  })
  it('timestamp score: perfect regularity is 1, MAD/median lowers it', () => {
    expect(statisticalScore([60, 60, 60, 60], 1)).toBe(1)
    expect(mad([50, 60, 70, 80, 90])).toBe(10)
    expect(statisticalScore([50, 60, 70, 80, 90], 1)).toBe(0.929)
    // tolerant variant: MAD/median 1/7 ≤ 0.2 keeps a full MAD score
    expect(statisticalScore([50, 60, 70, 80, 90], 1, 0.2)).toBe(1)
  })
  it('histogram and bimodal fit', () => {
    const bins = histogram([0, 1, 2, 50, 99], 0, 100, 4)
    expect([...bins]).toEqual([3, 0, 1, 1])
    expect(bimodalFit(new Float64Array(24).fill(5), 11)).toBe(1)
    expect(bimodalFit(new Float64Array(24).fill(0), 11)).toBe(0)
  })
})

describe('scoreBeacon', () => {
  const day = 86_400
  it('a fixed 5-minute beacon over a day scores 1 in RITA and active views', () => {
    const ts = series(1_700_000_000, day / 300, () => 300)
    const s = scoreBeacon(
      ts,
      new Uint32Array(ts.length).fill(400),
      1_700_000_000,
      1_700_000_000 + day,
    )!
    expect(s.rita!.score).toBe(1)
    expect(s.score).toBe(1)
    expect(s.period).toBe(300)
    expect(s.jitter).toBe(0)
  })
  it('a beacon that starts 6 h before the end keeps a high active score; RITA dilutes it', () => {
    const end = 1_700_000_000 + 8 * day
    const ts = series(end - 6 * 3600, 72, () => 300)
    const s = scoreBeacon(ts, new Uint32Array(72).fill(400), 1_700_000_000, end)!
    expect(s.rita!.score).toBeLessThan(0.8)
    expect(s.active!.score).toBeGreaterThanOrEqual(0.95)
  })
  it('random (Poisson) timing fails the periodicity gate', () => {
    let seed = 1
    const rand = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const ts = series(1_700_000_000, 200, () => -Math.log(1 - rand()) * 400)
    expect(
      scoreBeacon(ts, new Uint32Array(200).fill(400), 1_700_000_000, 1_700_000_000 + day, 0.7),
    ).toBeUndefined()
  })
  it('fewer than 4 timestamps is not a candidate', () => {
    expect(scoreBeacon(Uint32Array.of(1, 2, 3), new Uint32Array(3), 0, 10)).toBeUndefined()
  })
})
