import { describe, expect, it } from 'vitest'
import { fuzzIterations, mulberry32 } from '../binary/fuzz.js'
import type { AdvisoryRecord } from '../intel/records.js'
import { cvss3BaseScore } from './cvss.js'
import { matchAdvisories } from './detector.js'
import { component, sampleAdvisories, threeCx } from './testing.js'

const ITERATIONS = fuzzIterations()

/** A whole number below n, from the project's seeded PRNG. */
function rng(seed: number) {
  const next = mulberry32(seed)
  return (n: number) => Math.floor(next() * n)
}

const ODD: unknown[] = [
  null,
  undefined,
  0,
  -1,
  '',
  '0',
  '*',
  'x',
  [],
  {},
  [null],
  { a: 1 },
  true,
  '9'.repeat(30),
]

/** Replaces one random node of a JSON value with an odd value. */
function mutate(value: unknown, rand: (n: number) => number): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rand(4) === 0) return ODD[rand(ODD.length)]
    const copy = [...value]
    const i = rand(copy.length)
    copy[i] = mutate(copy[i], rand)
    return copy
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
    if (keys.length === 0 || rand(5) === 0) return ODD[rand(ODD.length)]
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
    const k = keys[rand(keys.length)]!
    if (rand(6) === 0) delete copy[k]
    else copy[k] = mutate(copy[k], rand)
    return copy
  }
  return ODD[rand(ODD.length)]
}

describe('advisory matching on hostile records (fuzz)', () => {
  it('never throws, whatever the OSV shape', () => {
    const base = sampleAdvisories()
    const rand = rng(1234)
    const components = [
      threeCx('18.12.416'),
      component({ name: 'left-pad-ish', version: '2.1.0', ecosystem: 'npm' }),
      component({ name: 'web-frame', version: '4.1.3', ecosystem: 'pypi' }),
      component({ name: 'example.com/mod', version: 'v1.4.0', ecosystem: 'golang' }),
    ]
    const rounds = Math.max(1, Math.floor(ITERATIONS / 10))
    for (let k = 0; k < rounds; k++) {
      const records = base.map((r) =>
        rand(3) === 0 ? ({ ...r, osv: mutate(r.osv, rand) } as AdvisoryRecord) : r,
      )
      try {
        matchAdvisories(components, records)
      } catch (err) {
        expect.fail(`${(err as Error).stack}`)
      }
    }
  })

  it('CVSS vector parsing never throws', () => {
    const rand = rng(99)
    const seed = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
    const alphabet = 'CVSS:3.1/AVNLPRUIHSC:'
    for (let k = 0; k < ITERATIONS; k++) {
      const i = rand(seed.length)
      const v = seed.slice(0, i) + alphabet[rand(alphabet.length)] + seed.slice(i + rand(3))
      const score = cvss3BaseScore(v)
      if (score !== undefined) expect(score >= 0 && score <= 10).toBe(true)
    }
  })
})
