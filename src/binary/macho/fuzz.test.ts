import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { fuzz, fuzzIterations, fuzzTimeout } from '../fuzz.js'
import { parseMachO } from './parse.js'

const dir = fileURLToPath(new URL('../../../scripts/fixtures/macho/out/', import.meta.url))
const seed = (name: string, weight: number) => {
  const bytes = readFileSync(join(dir, name))
  const sig = parseMachO(bytes).slices[0]?.codeSignature
  return { bytes, weight, extraHot: sig ? ([[sig.offset, 4096]] as [number, number][]) : [] }
}

it(
  `parseMachO survives ${fuzzIterations()} mutated fixtures without throwing or stalling`,
  () => {
    const seeds = [
      seed('hello-x86_64', 4),
      seed('libgreet.dylib', 3),
      seed('hello-signed', 2),
      seed('hello-universal64', 1),
    ]
    const stats = fuzz(seeds, parseMachO, fuzzIterations(), 0x6d616368)
    console.log(
      `macho fuzz: ${stats.inputs} inputs, max ${stats.maxMs.toFixed(1)} ms, total ${stats.totalMs.toFixed(0)} ms`,
    )
    expect(stats.maxMs).toBeLessThan(1000)
  },
  fuzzTimeout(),
)
