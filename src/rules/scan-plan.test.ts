import type { RuleMatch, YaraX } from '@litko/yara-x'
import { describe, expect, it } from 'vitest'
import { ScanPlan } from './scan-plan.js'

const match = (rule: string): RuleMatch => ({
  ruleIdentifier: rule,
  namespace: 'default',
  meta: {},
  tags: [],
  matches: [],
})

/** Fake compiled sets: each scan advances a fake clock by its cost and returns its matches. */
function setup(costJoint: number, costPass: number) {
  let clock = 0
  const fake = (cost: number, rules: string[]) =>
    ({
      scan: () => {
        clock += cost
        return rules.map(match)
      },
    }) as unknown as YaraX
  const plan = new ScanPlan(
    fake(costJoint, ['a', 'b']),
    [
      { rules: fake(costPass, ['a', 'dep']), report: 'a' },
      { rules: fake(costPass, ['b']), report: 'b' },
    ],
    () => clock,
  )
  const run = () => plan.run((r) => r.scan(Buffer.alloc(0)), 1 << 20).map((m) => m.ruleIdentifier)
  return { plan, run }
}

describe('scan plans', () => {
  it('times both ways alternately, then keeps split passes when clearly faster', () => {
    const { plan, run } = setup(10, 1)
    for (let i = 0; i < 17; i++) {
      expect(run()).toEqual(['a', 'b'])
      expect(plan.choice).toBeUndefined()
    }
    expect(run()).toEqual(['a', 'b'])
    expect(plan.choice).toBe('split')
  })

  it('keeps the joint set when the passes are not clearly faster', () => {
    const { plan, run } = setup(10, 4.5)
    for (let i = 0; i < 18; i++) expect(run()).toEqual(['a', 'b'])
    expect(plan.choice).toBe('joint')
  })

  it('uses the joint set alone when no split is offered', () => {
    const joint = { scan: () => [match('x')] } as unknown as YaraX
    const plan = new ScanPlan(joint, undefined)
    expect(plan.choice).toBe('joint')
    expect(plan.run((r) => r.scan(Buffer.alloc(0)), 10).map((m) => m.ruleIdentifier)).toEqual(['x'])
  })
})
