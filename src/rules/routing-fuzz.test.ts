import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compile, type YaraX } from '@litko/yara-x'
import { describe, expect, it } from 'vitest'
import { fuzzIterations, mulberry32 } from '../binary/fuzz.js'
import { conditionGuard } from './guards.js'
import { RoutedRules } from './routed-rules.js'
import { parseYaraSource } from './yara-source.js'

const ATOMS = [
  'uint16(0) == 0x5A4D',
  '0x464C457F == uint32(0)',
  'uint16be(0) == 0x2321',
  'uint8(1) == 0x5A',
  'uint8(1) < 0x5A',
  'uint16(0) != 0x5A4D',
  '0x45 <= uint8(1)',
  'uint16be(2) > 0x2061',
  'filesize < 64',
  'filesize <= 3',
  '$a',
  '$b',
  '#a > 1',
  'true',
]

/** A random boolean expression over header comparisons, strings and filesize. */
function expr(next: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!
  const r = next()
  if (depth <= 0 || r < 0.3) return pick(ATOMS)
  if (r < 0.4) return `not ${expr(next, depth - 1)}`
  if (r < 0.55) return `(${expr(next, depth - 1)})`
  return `${expr(next, depth - 1)} ${pick(['and', 'or'])} ${expr(next, depth - 1)}`
}

const SAMPLES = [
  Buffer.from('MZ a'),
  Buffer.from('MZ a a b and more bytes to pass sixty-four bytes of file size limit ............'),
  Buffer.from('\x7fELF b'),
  Buffer.from('\x7fELF a a'),
  Buffer.from('#!/bin/sh a'),
  Buffer.from('M'),
  Buffer.from('aZ'),
  Buffer.from('b'),
  Buffer.alloc(80, 0x61),
]

describe('routing by header guards', () => {
  it('gives exactly the matches of the whole rule set on random conditions', () => {
    const next = mulberry32(4)
    const runs = Math.max(20, Math.floor(fuzzIterations() / 400))
    let guarded = 0
    for (let run = 0; run < runs; run++) {
      const conditions = Array.from({ length: 12 }, () => expr(next, 3))
      const text = conditions
        .map((c, i) => {
          const strings = ['a', 'b'].filter((x) => c.includes(`$${x}`) || c.includes(`#${x}`))
          const decl = strings.map((x) => `$${x} = "${x}"`).join(' ')
          return `rule r${i} { ${decl ? `strings: ${decl} ` : ''}condition: ${c} }`
        })
        .join('\n')
      const whole = compile(text) as YaraX
      const routed = new RoutedRules(text)
      guarded += routed.shape.guarded
      for (const s of SAMPLES) {
        const want = whole.scan(s).map((m) => m.ruleIdentifier)
        // twice: while a plan is timing both ways, consecutive scans go one way, then the other
        const got = routed.scan(s).map((m) => m.ruleIdentifier)
        expect(routed.scan(s).map((m) => m.ruleIdentifier)).toEqual(got)
        expect({ sample: s.toString('latin1'), got, text }).toEqual({
          sample: s.toString('latin1'),
          got: want,
          text,
        })
      }
    }
    expect(guarded).toBeGreaterThan(runs)
  })

  it('never throws on mutated rule text', async () => {
    const seeds = await Promise.all(
      ['../../intel/rules/supply-chain.yar', 'testdata/agreement.yar'].map((f) =>
        readFile(join(import.meta.dirname, f), 'utf8'),
      ),
    )
    const pieces = ['"', '/', '{', '}', '(', ')', '*/', '/*', '//', ' or ', ' and ', 'not ', '\\']
    const next = mulberry32(11)
    for (let i = 0; i < fuzzIterations(); i++) {
      let s = seeds[i % seeds.length]!
      const at = Math.floor(next() * s.length)
      const r = next()
      if (r < 0.4) s = s.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + s.slice(at)
      else if (r < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(next() * 40))
      else s = s.slice(0, at)
      const src = parseYaraSource(s)
      for (const rule of src?.rules ?? []) {
        if (!(rule.start < rule.end && rule.end <= s.length)) throw new Error(`bad span: ${s}`)
        conditionGuard(rule.condition)
      }
    }
  })
})
