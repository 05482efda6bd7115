import { describe, expect, it } from 'vitest'
import { type Comparison, comparisonKey, conditionGuard, holds } from './guards.js'
import { parseYaraSource } from './yara-source.js'

/** The guard of a one-rule source, as comparison keys (AND of ORs). */
function guardOf(condition: string): string[][] {
  const src = parseYaraSource(`rule r { strings: $a = "a" $b = { 4D ?? } condition: ${condition} }`)
  if (!src) throw new Error('not parsed')
  return conditionGuard(src.rules[0]!.condition).map((or) => or.map(comparisonKey))
}

const MZ = 'uint16(0)==23117'
const ELF = 'uint32(0)==1179403647'

describe('header guards from rule conditions', () => {
  it('takes comparisons that are top-level conjuncts, either way round, in any number format', () => {
    expect(guardOf('uint16(0) == 0x5A4D and $a')).toEqual([[MZ]])
    expect(guardOf('$a and 0x464C457F == uint32(0) and filesize < 2MB')).toEqual([
      [ELF],
      ['filesize<2097152'],
    ])
    expect(guardOf('uint16be(0o0) == 0 and uint8(3) == 1 and 100KB >= filesize')).toEqual([
      ['uint16be(0)==0'],
      ['uint8(3)==1'],
      ['filesize<=102400'],
    ])
  })

  it('takes ordering comparisons of header integers (fat Mach-O vs Java class: nfat_arch < 0x20)', () => {
    expect(guardOf('uint32(0) == 0xBEBAFECA and uint32be(4) < 0x20 and $a')).toEqual([
      ['uint32(0)==3199925962'],
      ['uint32be(4)<32'],
    ])
    expect(guardOf('0x20 > uint32be(4) and 7 <= uint8(1) and $a')).toEqual([
      ['uint32be(4)<32'],
      ['uint8(1)>=7'],
    ])
    expect(guardOf('(uint32(0) == 0xFEEDFACF or uint32be(4) <= 0x1F) and $a')).toEqual([
      ['uint32(0)==4277009103', 'uint32be(4)<=31'],
    ])
    expect(guardOf('(uint32(0) != 0xBEBAFECA or uint32be(4) < 0x20) and $a')).toEqual([
      ['uint32(0)!=3199925962', 'uint32be(4)<32'],
    ])
  })

  it('takes a parenthesised or of only comparisons as one clause, and flattens nested ands', () => {
    expect(guardOf('(uint16(0) == 0x5A4D or (uint32(0) == 0x464C457F)) and $a')).toEqual([
      [MZ, ELF],
    ])
    expect(guardOf('((uint16(0) == 0x5A4D and $a)) and $b')).toEqual([[MZ]])
    expect(guardOf('uint16(0) == 0x5A4D or uint32(0) == 0x464C457F')).toEqual([[MZ, ELF]])
  })

  it('leaves precedence traps and anything not a plain comparison unrouted', () => {
    for (const c of [
      'uint16(0) == 0x5A4D and $a or $b', // (… and $a) or $b
      '$b or uint16(0) == 0x5A4D and $a',
      'uint16(0) == 0x5A4D or $a',
      '(uint16(0) == 0x5A4D or $a) and $b',
      'not uint16(0) == 0x5A4D and $a',
      'uint16(0) & 0xFF == 0x4D and $a',
      'uint16(0) == 0x5A4D + 1 and $a',
      'uint16(uint32(0x3C)) == 0x4550 and $a',
      'int16(0) == 0x5A4D and $a',
      'uint16(5000) == 1 and $a',
      'filesize > 10 and $a',
      'filesize < 1.5 and $a',
      'for any i in (0..2) : (uint16(i) == 0x5A4D) and $a or $b',
      '$a',
    ]) {
      expect([c, guardOf(c)]).toEqual([c, []])
    }
    // a comparison inside a quantifier is not a conjunct of the rule
    expect(guardOf('for any i in (1..#a) : (uint32(@a[i] - 4) == 1) and uint8(0) == 1')).toEqual([
      ['uint8(0)==1'],
    ])
  })

  it('evaluates comparisons on header bytes; a read past the end is false', () => {
    const h = Buffer.from('7f454c4602', 'hex')
    const c = (x: Partial<Comparison>) =>
      ({
        kind: 'int',
        bytes: 4,
        bigEndian: false,
        offset: 0,
        op: '==',
        value: 0x464c457f,
        ...x,
      }) as Comparison
    expect(holds(c({}), h, 5)).toBe(true)
    expect(holds(c({ bigEndian: true, value: 0x7f454c46 }), h, 5)).toBe(true)
    expect(holds(c({ offset: 2, value: 0x02464c }), h, 5)).toBe(false)
    expect(holds(c({ bytes: 1, offset: 4, value: 2 }), h, 5)).toBe(true)
    expect(holds(c({ bytes: 2, offset: 4, value: 2 }), h, 5)).toBe(false)
    expect(holds(c({ bytes: 1, offset: 4, op: '<', value: 3 }), h, 5)).toBe(true)
    expect(holds(c({ bytes: 1, offset: 4, op: '!=', value: 3 }), h, 5)).toBe(true)
    expect(holds(c({ bytes: 1, offset: 4, op: '!=', value: 2 }), h, 5)).toBe(false)
    expect(holds(c({ bytes: 1, offset: 4, op: '>', value: 2 }), h, 5)).toBe(false)
    expect(holds(c({ bytes: 1, offset: 4, op: '>=', value: 2 }), h, 5)).toBe(true)
    expect(holds(c({ bytes: 1, offset: 4, op: '<=', value: 1 }), h, 5)).toBe(false)
    expect(holds(c({ bytes: 4, offset: 4, op: '<', value: 9 }), h, 5)).toBe(false) // past the end
    expect(holds({ kind: 'size', op: '<', value: 5 }, h, 5)).toBe(false)
    expect(holds({ kind: 'size', op: '<=', value: 5 }, h, 5)).toBe(true)
    // Unsigned reads with the top bit set (Mach-O magics), both byte orders and widths.
    const macho = Buffer.from('cffaedfe0c', 'hex')
    expect(holds(c({ value: 0xfeedfacf }), macho, 5)).toBe(true)
    expect(holds(c({ bigEndian: true, value: 0xcffaedfe }), macho, 5)).toBe(true)
    expect(holds(c({ bytes: 2, offset: 2, value: 0xfeed }), macho, 5)).toBe(true)
    expect(holds(c({ bytes: 2, offset: 2, bigEndian: true, value: 0xedfe }), macho, 5)).toBe(true)
    expect(holds(c({ op: '>', value: 0x7fffffff }), macho, 5)).toBe(true)
  })
})

describe('splitting YARA source into rules', () => {
  it('finds rules, modifiers, imports and conditions past comments, strings, hex and regexes', () => {
    const text = [
      'import "pe"',
      '/* rule fake { condition: true } */',
      'private rule A : t1 t2 { meta: x = "}" n = -1 strings: $h = { 4D 5A [2-4] ( 90 | 91 ) } $r = /a\\/}b/is $s = "rule \\" }" condition: $h and $r and $s }',
      '// rule fake2',
      'global rule B { condition: A and pe.is_pe and "x" matches /}/ }',
    ].join('\n')
    const src = parseYaraSource(text)!
    expect(src.imports).toEqual(['pe'])
    expect(src.rules.map((r) => [r.name, r.private, r.global])).toEqual([
      ['A', true, false],
      ['B', false, true],
    ])
    expect(src.rules[0]!.condition.map((t) => t.text).join(' ')).toBe('$h and $r and $s')
    expect(text.slice(src.rules[1]!.start, src.rules[1]!.end)).toBe(
      'global rule B { condition: A and pe.is_pe and "x" matches /}/ }',
    )
  })

  it('gives up (the text is compiled whole) on includes and unterminated input', () => {
    expect(parseYaraSource('include "other.yar"\nrule a { condition: true }')).toBeUndefined()
    expect(parseYaraSource('rule a { strings: $a = "x condition: $a }')).toBeUndefined()
    expect(parseYaraSource('rule a { condition: true')).toBeUndefined()
  })
})
