import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { roundedEntropy, shannonEntropy } from './entropy.js'

describe('shannonEntropy', () => {
  it('is 0 for empty and constant data', () => {
    expect(shannonEntropy(new Uint8Array())).toBe(0)
    expect(shannonEntropy(new Uint8Array(100).fill(7))).toBe(0)
  })

  it('is 1 bit for two equally frequent values and 8 for all byte values once', () => {
    expect(shannonEntropy(Uint8Array.from([0, 1, 0, 1]))).toBe(1)
    expect(shannonEntropy(Uint8Array.from({ length: 256 }, (_, i) => i))).toBe(8)
  })

  it('measures a range and clamps it to the buffer', () => {
    const b = Uint8Array.from([9, 9, 0, 1, 2, 3])
    expect(shannonEntropy(b, 2, 6)).toBe(2)
    expect(shannonEntropy(b, 2, 1000)).toBe(2)
    expect(shannonEntropy(b, 50, 10)).toBe(0)
  })

  it('is close to 8 for random bytes and rounds to three decimals', () => {
    expect(shannonEntropy(randomBytes(65536))).toBeGreaterThan(7.99)
    expect(roundedEntropy(Uint8Array.from([0, 0, 0, 1]))).toBe(0.811)
  })

  it('equals a plain count over ranges of every alignment, across chunk boundaries', () => {
    const skewed = randomBytes(300_000).map((b) => (b < 200 ? b & 7 : b))
    for (const [start, end] of [
      [0, 1],
      [1, 4],
      [3, 70_000],
      [65_535, 131_075],
      [7, 300_000],
      [0, 300_000],
    ] as const) {
      expect(shannonEntropy(skewed, start, end)).toBe(plainEntropy(skewed.subarray(start, end)))
    }
  })
})

/** The textbook definition, one table and one pass: the reference for the fast version. */
function plainEntropy(bytes: Uint8Array): number {
  const counts = new Array<number>(256).fill(0)
  for (const b of bytes) counts[b]!++
  let h = 0
  for (const c of counts) {
    if (c === 0) continue
    const p = c / bytes.length
    h -= p * Math.log2(p)
  }
  return h
}
