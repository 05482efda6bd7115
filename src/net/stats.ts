/** Robust statistics over sorted numeric arrays, as RITA v5 computes them. */

/** Median of `sorted[from, to)`. */
export function median(sorted: ArrayLike<number>, from = 0, to = sorted.length): number {
  const n = to - from
  if (n <= 0) return Number.NaN
  const mid = from + (n >> 1)
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Quartiles the way montanaflynn/stats (used by RITA) computes them: Q2 is the median; Q1 and Q3
 * are the medians of the lower and upper halves, leaving out the middle element when n is odd.
 */
export function quartiles(sorted: ArrayLike<number>): [number, number, number] {
  const n = sorted.length
  const half = n >> 1
  const q1 = median(sorted, 0, half)
  const q2 = median(sorted)
  const q3 = median(sorted, n % 2 ? half + 1 : half, n)
  return [q1, q2, q3]
}

/** Bowley (quartile) skewness, zeroed as RITA does when the spread is under 10 or Q2 sits on Q1 or Q3. */
export function bowley(q1: number, q2: number, q3: number): number {
  if (q3 - q1 < 10 || q2 === q1 || q2 === q3) return 0
  return (q1 + q3 - 2 * q2) / (q3 - q1)
}

/** Median absolute deviation around the median of sorted data. */
export function mad(sorted: ArrayLike<number>, med = median(sorted)): number {
  const dev = new Float64Array(sorted.length)
  for (let i = 0; i < dev.length; i++) dev[i] = Math.abs(sorted[i]! - med)
  dev.sort()
  return median(dev)
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000
export const ceil3 = (x: number): number => Math.ceil(x * 1000 - 1e-9) / 1000

/** Population coefficient of variation. */
export function coefficientOfVariation(values: ArrayLike<number>): number {
  const n = values.length
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i]!
  const mean = sum / n
  if (!(mean > 0)) return Number.POSITIVE_INFINITY
  let sq = 0
  for (let i = 0; i < n; i++) sq += (values[i]! - mean) ** 2
  return Math.sqrt(sq / n) / mean
}
