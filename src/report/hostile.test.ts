import { describe, expect, it } from 'vitest'
import { mulberry32 as rng } from '../binary/fuzz.js'
import { makeFinding } from '../core/finding-id.js'
import { CONFIDENCES, type Finding, LAYERS, type Report, SEVERITIES } from '../core/types.js'
import { withCorrelation } from '../correlate/correlate.js'
import { jsonReport } from './json.js'
import { sarifReport } from './sarif.js'
import { tableReport } from './table.js'
import { sarifValidator } from './testdata/sarif-validator.js'
import { width } from './text.js'
import { validateReport } from './validate.js'

/** Reports built from hostile names and texts still come out valid, fitting and inert. */

const RUNS = Math.max(20, Math.floor(Number(process.env.VIGIL_FUZZ_ITERATIONS ?? 20_000) / 100))

const ATOMS = [
  'a',
  'dir/',
  '!/',
  '..',
  ' ',
  '%',
  '#',
  '?',
  ':',
  '\\',
  '\u001b[2J',
  '\n',
  '\r',
  '\u0007',
  '\u0085',
  '\uD800',
  '\uDC00',
  '😀',
  'é',
  '字',
  '"',
  '\0',
  'x'.repeat(300),
]

function hostile(rand: () => number, max = 8): string {
  let s = ''
  for (let n = 1 + Math.floor(rand() * max); n > 0; n--)
    s += ATOMS[Math.floor(rand() * ATOMS.length)]
  return s
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!
}

function randomReport(rand: () => number): Report {
  const findings: Finding[] = []
  for (let n = Math.floor(rand() * 6); n > 0; n--) {
    findings.push(
      makeFinding({
        ruleId: `ioc/${hostile(rand, 2)}`,
        detector: 'fuzz',
        layer: pick(
          rand,
          LAYERS.filter((l) => l !== 'correlation'),
        ),
        severity: pick(rand, SEVERITIES),
        confidence: pick(rand, CONFIDENCES),
        title: hostile(rand),
        message: hostile(rand),
        locations: [
          { path: hostile(rand), ...(rand() < 0.5 ? { offset: Math.floor(rand() * 1e6) } : {}) },
        ],
        evidence: [{ kind: hostile(rand, 2), value: hostile(rand) }],
        ...(rand() < 0.3 ? { references: [hostile(rand), 'https://example.org/a b'] } : {}),
        ...(rand() < 0.3 ? { remediation: { summary: hostile(rand) } } : {}),
      }),
    )
  }
  const { findings: all, verdicts } = withCorrelation(findings)
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: '0.1.0', intel: [] },
    targets: [{ path: hostile(rand), kind: 'dir' }],
    components: [],
    findings: all,
    verdicts,
    problems: [{ stage: 'collect', path: hostile(rand), message: hostile(rand), level: 'error' }],
    stats: { files: 1, bytes: 1, durationMs: 1 },
  }
}

describe('reporters on hostile input', () => {
  it('stay schema-valid, fit the width and let no control character through', () => {
    const validate = sarifValidator()
    const rand = rng(0x5eed)
    for (let i = 0; i < RUNS; i++) {
      const r = randomReport(rand)
      const json = validateReport(JSON.parse(jsonReport(r)))
      expect(json, `run ${i}`).toMatchObject({ ok: true })
      const sarif = JSON.parse(sarifReport(r))
      expect(validate(sarif), `run ${i}: ${JSON.stringify(validate.errors)}`).toBe(true)
      const table = tableReport(r, { width: 80 })
      for (const line of table.split('\n')) {
        expect(width(line), `run ${i}: ${line}`).toBeLessThanOrEqual(80)
        expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(line), `run ${i}: ${line}`).toBe(
          false,
        )
      }
    }
  })
})
