import { describe, expect, it } from 'vitest'
import { compareAlpine, isApkVersion } from './alpine.js'
import { disagreements, readPairs } from './testdata/pairs.js'

describe('compareAlpine', () => {
  it('gives the results apk gives on recorded vectors', () => {
    expect(disagreements(readPairs('apk-vectors.tsv'), compareAlpine)).toEqual([])
  })

  it('is antisymmetric on the vectors', () => {
    for (const [a, b, want] of readPairs('apk-vectors.tsv')) {
      expect(compareAlpine(b, a), `${b} vs ${a}`).toBe(-want || 0)
    }
  })

  it('validates like apk', () => {
    expect(isApkVersion('1.2.3_rc1-r0')).toBe(true)
    expect(isApkVersion('1.2.3a_p2-r10')).toBe(true)
    expect(isApkVersion('1.2-3')).toBe(false)
    expect(isApkVersion('abc')).toBe(false)
  })
})
