import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compareDebian, parseDebian } from './debian.js'
import { disagreements, readPairs } from './testdata/pairs.js'

const hasDpkg = spawnSync('dpkg', ['--version']).status === 0

describe('compareDebian', () => {
  it('agrees with dpkg --compare-versions on 1,000+ recorded pairs from a real dpkg status', () => {
    const pairs = readPairs('debian-pairs.tsv')
    expect(pairs.length).toBeGreaterThanOrEqual(1000)
    expect(disagreements(pairs, compareDebian)).toEqual([])
  })

  it.runIf(hasDpkg && existsSync('/var/lib/dpkg/status'))(
    'agrees with dpkg live on a sample of this machine’s versions',
    () => {
      const status = readFileSync('/var/lib/dpkg/status', 'utf8')
      const versions = [...status.matchAll(/^Version: (.+)$/gm)].map((m) => m[1]!.trim())
      const extra = ['1.0~rc1-1', '1.0-1', '1:0.9-1', '1.0-1~bpo1', '1.0+dfsg-1', '1.0a-1']
      const pool = [...extra, ...versions]
      const step = Math.max(1, Math.floor(pool.length / 40))
      const mismatches: string[] = []
      for (let i = 0; i + step < pool.length; i += step) {
        const a = pool[i]!
        const b = pool[i + step]!
        const lt = spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0
        const gt = spawnSync('dpkg', ['--compare-versions', a, 'gt', b]).status === 0
        const want = lt ? -1 : gt ? 1 : 0
        if (compareDebian(a, b) !== want) mismatches.push(`${a} vs ${b}`)
      }
      expect(mismatches).toEqual([])
    },
  )

  it('orders by epoch, then upstream with ~ first, then revision', () => {
    const ordered = [
      '1.0~~',
      '1.0~~a',
      '1.0~',
      '1.0~rc1',
      '1.0',
      '1.0-1',
      '1.0a',
      '1.0+dfsg-1',
      '1.0.1',
      '1:0.1',
      '2:0.0.1',
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareDebian(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(
        -1,
      )
      expect(compareDebian(ordered[i + 1]!, ordered[i]!)).toBe(1)
    }
    expect(compareDebian('0:1.0-1', '1.0-1')).toBe(0)
    expect(compareDebian('1.00', '1.0')).toBe(0)
  })

  it('splits epoch, upstream and the last hyphen’s revision', () => {
    expect(parseDebian('2:1.2-3-4ubuntu1')).toEqual({
      epoch: 2,
      upstream: '1.2-3',
      revision: '4ubuntu1',
    })
    expect(parseDebian('1.2')).toEqual({ epoch: 0, upstream: '1.2', revision: '' })
  })
})
