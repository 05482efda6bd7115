import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fuzzIterations, mulberry32 as rng } from '../../binary/fuzz.js'
import { parseCsv } from './csv.js'
import { readIntelBytes } from './read.js'
import { parseStixPattern } from './stix-pattern.js'
import { IntelFormatError } from './types.js'
import { readVigil, writeVigil } from './vigil-ndjson.js'

/**
 * Mutation fuzzing of every intel parser on real-format samples: whatever the bytes, a parser
 * returns records or throws IntelFormatError (naming file and place), never anything else, never hangs.
 * Iterations: VIGIL_FUZZ_ITERATIONS (default 20,000 per parser).
 */
const ITERATIONS = fuzzIterations()
const data = (name: string) => join(import.meta.dirname, '..', 'testdata', name)

const TOKENS = [
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '\n',
  '\r\n',
  '|',
  'AND',
  'OR',
  '=',
  '\\',
  '0',
  '-1',
  'null',
  'true',
  '""',
  '[]',
  '{}',
  '\u0000',
  '\uFFFD',
]

function mutate(input: string, r: () => number): string {
  let s = input
  const edits = 1 + Math.floor(r() * 4)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (s.length + 1))
    const op = Math.floor(r() * 5)
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8))
    else if (op === 1) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)]! + s.slice(at)
    else if (op === 2) s = s.slice(0, at)
    else if (op === 3)
      s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at + 1)
    else {
      const from = Math.floor(r() * s.length)
      s = s.slice(0, at) + s.slice(from, from + Math.floor(r() * 40)) + s.slice(at)
    }
  }
  return s
}

async function fuzzBytes(name: string, sample: string, seed: number): Promise<void> {
  const r = rng(seed)
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(sample, r)
    try {
      await readIntelBytes(Buffer.from(input), name)
    } catch (err) {
      if (!(err instanceof IntelFormatError)) {
        throw new Error(
          `seed ${seed} iteration ${i}: ${(err as Error).stack}\ninput: ${JSON.stringify(input.slice(0, 400))}`,
        )
      }
      expect(err.message.startsWith(name)).toBe(true)
    }
  }
}

describe('intel parsers under mutation', () => {
  for (const [sample, seed] of [
    ['indicators.csv', 1],
    ['stix-3cx.json', 2],
    ['misp-3cx.json', 3],
    ['osv-array.json', 4],
  ] as const) {
    it(`${sample}: records or IntelFormatError`, async () => {
      await fuzzBytes(sample, await readFile(data(sample), 'utf8'), seed)
    }, 120_000)
  }

  it('Vigil NDJSON (records and bulk lines): records or IntelFormatError', async () => {
    const { readIntelPath } = await import('./read.js')
    const records = (await readIntelPath(data('indicators.csv'))).records.slice(0, 3)
    const bulk = {
      vigilBulk: 1,
      type: 'md5',
      values: 'ab'.repeat(16) + 'cd'.repeat(16),
      ids: { prefix: 'x#', suffixes: '1 2' },
      template: {
        kind: 'file',
        severity: 'high',
        id: 'x',
        source: 's',
        confidence: 'high',
        references: [],
      },
    }
    const sample = `${writeVigil({ source: 's', version: '1' }, records)}${JSON.stringify(bulk)}\n`
    const r = rng(5)
    for (let i = 0; i < ITERATIONS; i++) {
      const input = mutate(sample, r)
      try {
        readVigil(input, 'f.ndjson')
      } catch (err) {
        if (!(err instanceof IntelFormatError))
          throw new Error(`iteration ${i}: ${(err as Error).stack}`)
      }
    }
  }, 120_000)

  it('STIX patterns and CSV rows: a result or an Error with a message', () => {
    const r = rng(6)
    const pattern =
      "[file:hashes.'SHA-256' = 'aa' OR file:name = 'x\\'y'] AND ([domain-name:value = 'a.b'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.0/24']) WITHIN 5 SECONDS"
    const csv = 'type,value,severity\nsha256,"a,""b""\nc",high\r\n'
    for (let i = 0; i < ITERATIONS; i++) {
      for (const [fn, text] of [
        [parseStixPattern, pattern],
        [(t: string) => parseCsv(t, 'f.csv'), csv],
      ] as const) {
        try {
          fn(mutate(text, r))
        } catch (err) {
          expect(err).toBeInstanceOf(Error)
          expect((err as Error).message.length).toBeGreaterThan(0)
        }
      }
    }
  })
})
