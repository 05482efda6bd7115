import { execFileSync, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { comparePep440, parsePep440 } from './pep440.js'
import { disagreements, readPairs } from './testdata/pairs.js'

const hasPackaging = spawnSync('python3', ['-c', 'import packaging.version']).status === 0

describe('comparePep440', () => {
  it('agrees with packaging.version on recorded pairs', () => {
    const pairs = readPairs('pep440-pairs.tsv')
    expect(pairs.length).toBeGreaterThan(400)
    expect(disagreements(pairs, comparePep440)).toEqual([])
  })

  it.runIf(hasPackaging)('agrees with packaging.version live on a sample', () => {
    const pairs = readPairs('pep440-pairs.tsv')
      .filter((_, i) => i % 5 === 0)
      .map(([a, b]) => [a, b])
    const py = `import json,sys
from packaging.version import Version
print(json.dumps([(Version(a) > Version(b)) - (Version(a) < Version(b)) for a, b in json.load(sys.stdin)]))`
    const want = JSON.parse(
      execFileSync('python3', ['-c', py], { input: JSON.stringify(pairs), encoding: 'utf8' }),
    )
    expect(pairs.map(([a, b]) => comparePep440(a!, b!))).toEqual(want)
  })

  it('orders dev < pre < release < post, local last', () => {
    const ordered = [
      '1.0.dev1',
      '1.0a1.dev1',
      '1.0a1',
      '1.0a1.post1',
      '1.0b2',
      '1.0rc1',
      '1.0',
      '1.0+local',
      '1.0.post1.dev1',
      '1.0.post1',
      '1.1',
      '1!0.1',
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(comparePep440(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(
        -1,
      )
    }
    expect(comparePep440('1.0', '1.0.0')).toBe(0)
    expect(comparePep440('1.0-1', '1.0.post1')).toBe(0)
    expect(comparePep440('1.0C1', '1.0rc1')).toBe(0)
  })

  it('rejects what is not PEP 440', () => {
    expect(parsePep440('not a version')).toBeUndefined()
    expect(parsePep440('1.0.x')).toBeUndefined()
    expect(parsePep440('1..0')).toBeUndefined()
    expect(parsePep440('1.0+')).toBeUndefined()
  })
})
