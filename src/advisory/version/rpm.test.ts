import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareRpm, parseEvr, rpmvercmp } from './rpm.js'
import { disagreements, readPairs } from './testdata/pairs.js'

const hasRpm = spawnSync('rpm', ['--version']).status === 0

/** One rpm process evaluates every pair with rpm's own rpm.vercmp (Lua). */
function rpmLive(pairs: [string, string][]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rpm-'))
  const file = join(dir, 'pairs.lua')
  const lines = pairs.map(
    ([a, b]) => `print(rpm.vercmp(${JSON.stringify(a)}, ${JSON.stringify(b)}) .. ",")`,
  )
  let out: string
  try {
    writeFileSync(file, `${lines.join('\n')}\n`)
    out = execFileSync('rpm', ['--eval', `%{lua: dofile("${file}")}`], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return out
    .replace(/\s+/g, '')
    .split(',')
    .filter(Boolean)
    .map((n) => Math.sign(Number(n)))
}

describe('rpmvercmp', () => {
  it('passes the rpm test-suite vectors (~, ^, separators, leading zeros)', () => {
    expect(disagreements(readPairs('rpmvercmp-vectors.tsv'), rpmvercmp)).toEqual([])
  })

  it('agrees with rpm.vercmp on recorded EVR pairs', () => {
    const pairs = readPairs('rpm-pairs.tsv')
    expect(pairs.length).toBeGreaterThan(500)
    expect(disagreements(pairs, compareRpm)).toEqual([])
  })

  it.runIf(hasRpm)('agrees with rpm live on a sample', () => {
    const pairs = readPairs('rpm-pairs.tsv').filter((_, i) => i % 9 === 0)
    const want = rpmLive(pairs.map(([a, b]) => [a, b]))
    expect(want).toHaveLength(pairs.length)
    const got = pairs.map(([a, b]) => compareRpm(a, b))
    expect(got).toEqual(want)
  })

  it('compares epoch first and release last', () => {
    expect(parseEvr('2:1.0-3.el9')).toEqual({ epoch: 2, version: '1.0', release: '3.el9' })
    expect(compareRpm('1:1.0-1', '2.0-1')).toBe(1)
    expect(compareRpm('1.1.1k-9.el8_7', '1.1.1k-12.el8_9')).toBe(-1)
    expect(compareRpm('1.0', '1.0-5')).toBe(-1)
  })
})
