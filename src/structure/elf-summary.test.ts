import { describe, expect, it } from 'vitest'
import { smallestSorted } from './elf-summary.js'

describe('smallestSorted', () => {
  it('equals sort().slice(0, k) for random, duplicate-heavy and ordered lists', () => {
    let seed = 7
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed
    }
    const lists: string[][] = [
      Array.from({ length: 5000 }, () => `sym_${next() % 100_000}`),
      Array.from({ length: 5000 }, () => `x${next() % 7}`),
      Array.from({ length: 5000 }, (_, i) => `f${String(i).padStart(5, '0')}`),
      Array.from({ length: 5000 }, (_, i) => `f${String(5000 - i).padStart(5, '0')}`),
      Array.from({ length: 3000 }, () =>
        String.fromCharCode(0x41 + (next() % 60), next() % 0xd800),
      ),
      Array.from({ length: 10 }, () => `${next()}`),
    ]
    for (const list of lists) {
      for (const k of [0, 1, 2, 100, 2000, 4999, 5000, 6000]) {
        expect(smallestSorted(list.slice(), k)).toEqual(list.slice().sort().slice(0, k))
      }
    }
  })
})
