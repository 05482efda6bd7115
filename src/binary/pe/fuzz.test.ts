import { describe, expect, it } from 'vitest'
import { fuzz, fuzzIterations } from '../fuzz.js'
import { rvaToOffset } from './layout.js'
import { parsePe } from './parse.js'
import { readPeFixture } from './testing.js'

const SEEDS = [
  'helper-signed.dll',
  'helper32-signed.dll',
  'delay-load.exe',
  'app/VigilApp.exe',
  'helper-nested-ts.dll',
  'helper-padded.dll',
]

/** Regions worth aiming at: every data directory's bytes (imports, resources, certificates …). */
function hotRegions(bytes: Uint8Array): [number, number][] {
  const pe = parsePe(bytes)!
  const out: [number, number][] = []
  for (const d of pe.dataDirectories) {
    if (d.rva === 0 || d.size === 0) continue
    const off = d.index === 4 ? d.rva : rvaToOffset(pe, d.rva)
    if (off !== undefined) out.push([off, Math.min(d.size, 4096)])
  }
  return out
}

describe('parsePe fuzz', () => {
  it(`survives ${fuzzIterations()} mutated fixtures: no exception, no internal error, < 1 s each`, () => {
    const seeds = SEEDS.map((name) => {
      const bytes = readPeFixture(name)
      return { bytes, weight: 1, extraHot: hotRegions(bytes) }
    })
    let internal = 0
    let maxCpuMs = 0
    const stats = fuzz(
      seeds,
      (b) => {
        const cpu = process.cpuUsage()
        const pe = parsePe(b)
        if (pe?.anomalies.some((a) => a.code === 'internal-error')) internal++
        // Touch the result the way reports do: it must serialise.
        JSON.stringify(pe)
        const used = process.cpuUsage(cpu)
        maxCpuMs = Math.max(maxCpuMs, (used.user + used.system) / 1000)
      },
      fuzzIterations(),
      0x9e11,
    )
    console.info(
      `parsePe fuzz: ${stats.inputs} inputs, slowest ${maxCpuMs.toFixed(1)} ms CPU ` +
        `(${stats.maxMs.toFixed(0)} ms wall), ${(stats.totalMs / 1000).toFixed(1)} s in total`,
    )
    expect(internal).toBe(0)
    expect(stats.inputs).toBe(fuzzIterations())
    // CPU time, not wall time: the limit is about the input, not about a busy machine.
    expect(maxCpuMs, `slowest wall time ${stats.maxMs.toFixed(0)} ms`).toBeLessThan(1000)
  })
})
