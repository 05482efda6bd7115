import type { RuleMatch, YaraX } from '@litko/yara-x'
import { describe, expect, it } from 'vitest'
import { ScanPlan, TRIAL_SAMPLE_BYTES } from './scan-plan.js'

const match = (rule: string): RuleMatch => ({
  ruleIdentifier: rule,
  namespace: 'default',
  meta: {},
  tags: [],
  matches: [],
})

const WHOLE = Buffer.alloc(4 * TRIAL_SAMPLE_BYTES)
const SAMPLE = WHOLE.subarray(0, TRIAL_SAMPLE_BYTES)

/**
 * Fake compiled sets: each scan advances a fake clock by its cost per MiB scanned and returns its
 * matches; scans of whole files are counted per way.
 */
function setup(costJoint: number, costPass: number) {
  let clock = 0
  const whole = { joint: 0, split: 0 }
  const fake = (cost: number, rules: string[], way: 'joint' | 'split') =>
    ({
      scan: (b: Buffer) => {
        clock += (cost * b.length) / TRIAL_SAMPLE_BYTES
        if (b === WHOLE) whole[way]++
        return rules.map(match)
      },
    }) as unknown as YaraX
  const plan = new ScanPlan(
    fake(costJoint, ['a', 'b'], 'joint'),
    [
      { rules: fake(costPass, ['a', 'dep'], 'split'), report: 'a' },
      { rules: fake(costPass, ['b'], 'split'), report: 'b' },
    ],
    () => clock,
  )
  let samples = 0
  const run = (size = WHOLE.length) =>
    plan
      .run(
        (r) => r.scan(WHOLE),
        size,
        () => {
          samples++
          return SAMPLE
        },
      )
      .map((m) => m.ruleIdentifier)
  return { plan, run, whole, samples: () => samples }
}

describe('scan plans', () => {
  it('times samples both ways, scans each whole file once the faster way, then keeps it', () => {
    const { plan, run, whole, samples } = setup(10, 1)
    for (let i = 0; i < 8; i++) {
      expect(run()).toEqual(['a', 'b'])
      expect(plan.choice).toBeUndefined()
    }
    expect(run()).toEqual(['a', 'b'])
    expect(plan.choice).toBe('split')
    expect(samples()).toBe(9)
    // Every whole file went the split way (each of its two passes counted): the slow joint set
    // never scanned a whole file, even during the trial.
    expect(whole).toEqual({ joint: 0, split: 18 })
    run()
    expect(samples()).toBe(9)
  })

  it('keeps the joint set when the passes are not clearly faster', () => {
    const { plan, run, whole } = setup(10, 4.5)
    for (let i = 0; i < 12; i++) expect(run()).toEqual(['a', 'b'])
    expect(plan.choice).toBe('joint')
    expect(whole).toEqual({ joint: 12, split: 0 })
  })

  it('does not time files too small to measure: they go the joint way', () => {
    const { plan, run, whole, samples } = setup(10, 1)
    for (let i = 0; i < 20; i++) expect(run(1000)).toEqual(['a', 'b'])
    expect(plan.choice).toBeUndefined()
    expect(samples()).toBe(0)
    expect(whole).toEqual({ joint: 20, split: 0 })
  })

  it('uses the joint set alone when no split is offered', () => {
    const joint = { scan: () => [match('x')] } as unknown as YaraX
    const plan = new ScanPlan(joint, undefined)
    expect(plan.choice).toBe('joint')
    const sample = () => {
      throw new Error('no trial without a split')
    }
    expect(
      plan.run((r) => r.scan(WHOLE), WHOLE.length, sample).map((m) => m.ruleIdentifier),
    ).toEqual(['x'])
  })
})
