import { describe, expect, it } from 'vitest'
import { makeAsar } from '../testing.js'
import { parseAsarHeader } from './asar.js'

const ITERATIONS = Number(process.env.VIGIL_FUZZ_ITERATIONS ?? 20_000)

describe('parseAsarHeader', () => {
  const asar = makeAsar({ 'a.js': 'aaaa', 'lib/b.js': 'bb', 'lib/c/d.txt': 'ddd' }, ['lib/b.js'])

  it('lists files with absolute offsets inside the file', () => {
    const idx = parseAsarHeader(asar, asar.length)
    expect(idx.anomalies).toEqual([])
    const a = idx.entries.find((e) => e.path === 'a.js')!
    expect(asar.toString('utf8', a.offset, a.offset + a.size)).toBe('aaaa')
    const d = idx.entries.find((e) => e.path === 'lib/c/d.txt')!
    expect(asar.toString('utf8', d.offset, d.offset + d.size)).toBe('ddd')
    expect(idx.entries.find((e) => e.path === 'lib/b.js')?.unpacked).toBe(true)
  })

  it('rejects a header size beyond the file and reports entries outside it', () => {
    const bad = Buffer.from(asar)
    bad.writeUInt32LE(0x7fffffff, 4)
    expect(() => parseAsarHeader(bad, bad.length)).toThrow(/does not fit/)
    const cut = asar.subarray(0, asar.length - 2)
    const idx = parseAsarHeader(cut, cut.length)
    expect(idx.anomalies.some((a) => a.startsWith('lib/c/d.txt: offset'))).toBe(true)
  })

  it('never throws anything but an Error and never returns an entry outside the file (fuzz)', () => {
    let seed = 12345
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let i = 0; i < ITERATIONS; i++) {
      const b = Buffer.from(asar)
      const flips = 1 + rand(4)
      for (let k = 0; k < flips; k++) b[rand(b.length)] = rand(256)
      const total = rand(4) === 0 ? rand(b.length + 1) : b.length
      const view = b.subarray(0, total)
      try {
        const idx = parseAsarHeader(view, total)
        for (const e of idx.entries) {
          if (!e.unpacked && !e.link) expect(e.offset + e.size).toBeLessThanOrEqual(total)
        }
      } catch (err) {
        expect(err).toBeInstanceOf(Error)
      }
    }
  })
})
