import { describe, expect, it } from 'vitest'
import { corpusSample } from '../binary/elf/testing.js'
import { loadRegistered } from '../core/registered.js'
import { DETECTORS } from '../detectors.js'
import { findBinaries, runCorpus } from './corpus-run.js'

const detectors = (await loadRegistered(DETECTORS)).filter((d) =>
  /^structure\/(macho|elf)/.test(d.name),
)

describe('clean corpus (sampled; full run: npx tsx bench/clean-corpus-unix.ts)', () => {
  it('gives no high or critical finding on real ELF files and the Mach-O files in node_modules', async () => {
    const files = [...corpusSample(150), ...findBinaries(['node_modules'])]
    const r = await runCorpus(files, detectors)
    expect(r.files).toBeGreaterThan(100)
    expect(r.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([])
    expect(r.signatures['digest-mismatch'] ?? 0).toBe(0)
    expect(r.problems).toEqual([])
  }, 120_000)
})
