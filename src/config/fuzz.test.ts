import { describe, expect, it } from 'vitest'
import { mulberry32 as rng } from '../binary/fuzz.js'
import { UsageError } from '../core/errors.js'
import { parseConfigText } from './config.js'
import { parseSuppressions } from './suppressions.js'

const ITERATIONS = Number(process.env.VIGIL_FUZZ_ITERATIONS ?? 20_000)

const SUPPRESSIONS = `suppressions:
  - ruleId: structure/overlay
    path: "vendor/**"
    reason: installer payload, reviewed
    expires: 2027-01-31
  - ruleId: advisory/GHSA-xxxx
    component: pkg:npm/left-pad@1.3.0
    sha256: ${'ab'.repeat(32)}
    reason: not reachable
`

const CONFIG = JSON.stringify({
  exclude: ['**/node_modules/**'],
  limits: { maxFileBytes: '1GiB', maxArchiveDepth: 3 },
  intel: ['intel'],
  threads: 2,
  failOn: 'medium',
  cache: { enabled: true, dir: '.cache' },
  suppressions: 's.yaml',
})

const PIECES = [
  '\n',
  ':',
  '- ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '&a',
  '*a',
  '!!binary',
  '\0',
  '#',
  '  ',
  '\uFFFF',
  '1e999',
  '-1',
  'null',
  '<<: *a',
]

function mutate(text: string, rand: () => number): string {
  let s = text
  const edits = 1 + Math.floor(rand() * 4)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1))
    const op = rand()
    if (op < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8))
    else if (op < 0.6)
      s = s.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)]! + s.slice(at)
    else if (op < 0.8) s = s.slice(0, at)
    else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + s.slice(at + 1)
  }
  return s
}

function onlyUsageErrors(
  parse: (text: string) => unknown,
  seed: string,
  text: string,
  runs = ITERATIONS,
): void {
  const rand = rng(Number.parseInt(seed, 36))
  for (let i = 0; i < runs; i++) {
    const input = mutate(text, rand)
    try {
      parse(input)
    } catch (err) {
      if (!(err instanceof UsageError)) {
        throw new Error(`iteration ${i}: ${String(err)} for input ${JSON.stringify(input)}`)
      }
    }
  }
}

const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  'x',
  '2027-13-01',
  'pkg:',
  [],
  {},
  [1],
  { a: 1 },
]

/** Replaces, adds or deletes one random node of a parsed document. */
function mutateDoc(doc: unknown, rand: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  if (depth > 4 || doc === null || typeof doc !== 'object' || rand() < 0.2) {
    return rand() < 0.7 ? pick(VALUES) : doc
  }
  if (Array.isArray(doc)) {
    const out = [...doc]
    const i = Math.floor(rand() * (out.length + 1))
    if (rand() < 0.2) out.splice(i, 1)
    else out[i] = mutateDoc(out[i] ?? {}, rand, depth + 1)
    return out
  }
  const out: Record<string, unknown> = { ...(doc as Record<string, unknown>) }
  const keys = Object.keys(out)
  const k =
    rand() < 0.15 || keys.length === 0
      ? pick(['ruleId', 'zzz', 'limits', '__proto__', 'reason'])
      : pick(keys)
  if (rand() < 0.2) delete out[k]
  else out[k] = mutateDoc(out[k], rand, depth + 1)
  return out
}

function docsOnlyUsageErrors(parse: (text: string) => unknown, seed: string, doc: unknown): void {
  const rand = rng(Number.parseInt(seed, 36))
  for (let i = 0; i < ITERATIONS; i++) {
    let d = doc
    for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) d = mutateDoc(d, rand)
    const input = JSON.stringify(d) ?? 'null'
    try {
      parse(input)
    } catch (err) {
      if (!(err instanceof UsageError)) {
        throw new Error(`iteration ${i}: ${String(err)} for input ${input}`)
      }
    }
  }
}

describe('fuzz', () => {
  it('parseSuppressions: any document shape gives entries or a UsageError', () => {
    const doc = {
      suppressions: parseSuppressions(SUPPRESSIONS, 'x.yaml').map(({ source: _, ...e }) => e),
    }
    docsOnlyUsageErrors((t) => parseSuppressions(t, 'fuzz.json'), 'suppdoc', doc)
  })

  it('parseSuppressions: mutated YAML and JSON text give entries or a UsageError', () => {
    // The YAML text path is slower (the yaml parser builds rich errors): a tenth of the iterations.
    const yamlRuns = Math.max(1, Math.floor(ITERATIONS / 10))
    onlyUsageErrors((t) => parseSuppressions(t, 'fuzz.yaml'), 'supp', SUPPRESSIONS, yamlRuns)
    const json = JSON.stringify(
      parseSuppressions(SUPPRESSIONS, 'x.yaml').map(({ source: _, ...e }) => e),
    )
    onlyUsageErrors((t) => parseSuppressions(t, 'fuzz.json'), 'suppjson', json)
    expect(parseSuppressions(SUPPRESSIONS, 'fuzz.yaml')).toHaveLength(2)
  })

  it('parseConfigText: mutated text and documents give a config or a UsageError', () => {
    onlyUsageErrors((t) => parseConfigText(t, 'fuzz.json'), 'config', CONFIG)
    docsOnlyUsageErrors((t) => parseConfigText(t, 'fuzz.json'), 'configdoc', JSON.parse(CONFIG))
    expect(parseConfigText(CONFIG, 'x.json').threads).toBe(2)
  })

  it('resists YAML alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 0; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      )
    expect(() => parseSuppressions(bomb.join('\n'), 'bomb.yaml')).toThrow(UsageError)
  })
})
