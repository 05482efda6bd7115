import { describe, expect, it } from 'vitest'
import { compareDotted } from './dotted.js'

describe('compareDotted', () => {
  it('orders vendor product releases', () => {
    const ordered = [
      '18.11.1213',
      '18.12.402',
      '18.12.407',
      '18.12.416',
      '18.12.422',
      '18.12.425',
      '18.13',
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareDotted(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(
        -1,
      )
      expect(compareDotted(ordered[i + 1]!, ordered[i]!)).toBe(1)
    }
  })

  it('treats 4-part Windows versions, build and hotfix suffixes', () => {
    expect(compareDotted('18.12.416.0', '18.12.416')).toBe(0)
    expect(compareDotted('18.12.416.1', '18.12.416')).toBe(1)
    expect(compareDotted('2019.4.5200.9083', '2019.4.5220.20574')).toBe(-1)
    expect(compareDotted('2019.4 HF 5', '2019.4 HF 6')).toBe(-1)
    expect(compareDotted('2019.4', '2019.4 HF 5')).toBe(-1)
    expect(compareDotted('5.33.6162', '5.34')).toBe(-1)
    expect(compareDotted('5.34', '5.34 (build 6178)')).toBe(-1)
    expect(compareDotted('2.0-rc1', '2.0')).toBe(-1)
    expect(compareDotted('2.0beta', '2.0rc1')).toBe(-1)
    expect(compareDotted('v3.1', '3.1.0')).toBe(0)
  })

  it('never throws on odd input', () => {
    for (const v of ['', '...', 'abc', '9'.repeat(400), '1.-2', '\u0000']) {
      expect(() => compareDotted(v, '1.0')).not.toThrow()
    }
  })
})
