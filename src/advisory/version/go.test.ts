import { describe, expect, it } from 'vitest'
import { compareGo } from './go.js'

describe('compareGo', () => {
  it('orders module versions, pseudo-versions and +incompatible as the go command does', () => {
    const ordered = [
      'v0.0.0-20190101000000-aaaaaaaaaaaa',
      'v0.0.0-20230101000000-bbbbbbbbbbbb',
      'v0.1.0',
      'v1.2.3-pre',
      'v1.2.3',
      'v1.2.4-0.20230101000000-cccccccccccc',
      'v1.2.4',
      'v1.10.0',
      'v2.0.0+incompatible',
      'v2.1.0',
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareGo(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(-1)
    }
    expect(compareGo('v2.0.0+incompatible', 'v2.0.0')).toBe(0)
    expect(compareGo('1.2.3', 'v1.2.3')).toBe(0)
    expect(compareGo('v1.2', 'v1.2.0')).toBe(0)
  })
})
