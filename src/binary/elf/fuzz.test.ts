import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { fuzz, fuzzIterations, fuzzTimeout } from '../fuzz.js'
import { parseElf } from './parse.js'

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../scripts/fixtures/elf/out/${name}`, import.meta.url)))

it(
  `parseElf survives ${fuzzIterations()} mutated fixtures without throwing or stalling`,
  () => {
    const seeds = [
      { bytes: fixture('libvigilfix.so.1'), weight: 3 },
      { bytes: fixture('libvigilfix32.so.1'), weight: 2 },
    ]
    const stats = fuzz(seeds, parseElf, fuzzIterations(), 0x656c66)
    console.log(
      `elf fuzz: ${stats.inputs} inputs, max ${stats.maxMs.toFixed(1)} ms, total ${stats.totalMs.toFixed(0)} ms`,
    )
    expect(stats.maxMs).toBeLessThan(1000)
  },
  fuzzTimeout(),
)
