import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { fuzz, fuzzIterations, fuzzTimeout } from '../fuzz.js'
import { parsePlist } from './parse.js'

const fixture = (path: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../scripts/fixtures/macho/out/${path}`, import.meta.url)),
  )

it(
  `parsePlist survives ${fuzzIterations()} mutated XML and binary plists`,
  () => {
    const seeds = [
      { bytes: fixture('LookAlikeBinaryPlist.app/Contents/Info.plist'), weight: 3 },
      { bytes: fixture('LookAlike.app/Contents/Info.plist'), weight: 1 },
      { bytes: fixture('LookAlike.app/Contents/_CodeSignature/CodeResources'), weight: 1 },
    ]
    const stats = fuzz(seeds, parsePlist, fuzzIterations(), 0x706c73)
    console.log(
      `plist fuzz: ${stats.inputs} inputs, max ${stats.maxMs.toFixed(1)} ms, total ${stats.totalMs.toFixed(0)} ms`,
    )
    expect(stats.maxMs).toBeLessThan(1000)
  },
  fuzzTimeout(),
)
