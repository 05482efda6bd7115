import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { canonicalMaven, compareMaven } from './maven.js'
import { disagreements, readPairs } from './testdata/pairs.js'

const JAR = '/usr/share/maven/lib/maven-artifact-3.x.jar'
const hasJava = existsSync(JAR) && spawnSync('java', ['-version']).status === 0

describe('compareMaven', () => {
  it('agrees with Maven’s ComparableVersion on recorded pairs', () => {
    const pairs = readPairs('maven-pairs.tsv')
    expect(pairs.length).toBeGreaterThan(400)
    expect(disagreements(pairs, compareMaven)).toEqual([])
  })

  it.runIf(hasJava)('agrees with ComparableVersion live on a sample', () => {
    const pairs = readPairs('maven-pairs.tsv').filter((_, i) => i % 6 === 0)
    const out = execFileSync(
      'java',
      [
        '-cp',
        JAR,
        'org.apache.maven.artifact.versioning.ComparableVersion',
        ...pairs.flatMap((p) => [p[0], p[1]]),
      ],
      { encoding: 'utf8' },
    )
    const ops = [...out.matchAll(/^ {3}(\S+) (<|>|==) (\S+)$/gm)].map((m) => m[2])
    const want = pairs.map((_, i) => ({ '<': -1, '==': 0, '>': 1 })[ops[2 * i] as '<'])
    expect(pairs.map(([a, b]) => compareMaven(a, b))).toEqual(want)
  })

  it('orders the qualifiers alpha < beta < milestone < rc < snapshot < release < sp', () => {
    const ordered = [
      '1.0-alpha-1',
      '1.0-beta-1',
      '1.0-milestone-1',
      '1.0-rc-1',
      '1.0-SNAPSHOT',
      '1.0',
      '1.0-sp-1',
      '1.0-foo',
      '1.0-1',
      '1.0.1',
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareMaven(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(
        -1,
      )
    }
    expect(compareMaven('1.0-ga', '1.0.final')).toBe(0)
    expect(compareMaven('1.0-cr1', '1.0-rc1')).toBe(0)
    expect(canonicalMaven('1.0.0-alpha1')).toBe('1-alpha-1')
  })
})
