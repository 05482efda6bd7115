import { beforeAll, describe, expect, it } from 'vitest'
import { fuzz, fuzzIterations } from '../fuzz.js'
import { parsePe } from '../pe/parse.js'
import { PE_TRUST_DIR, readPeFixture } from '../pe/testing.js'
import { loadTrustStore, type TrustStore } from './certificates.js'
import { verifyAuthenticode } from './verify.js'

const SEEDS = ['helper-signed.dll', 'helper-nested-ts.dll', 'helper32-signed.dll']

let store: TrustStore
beforeAll(async () => {
  store = await loadTrustStore(PE_TRUST_DIR)
})

/**
 * Verification parses the PKCS#7 blob with asn1js/pkijs (about 2 ms per blob on an idle core) and
 * checks RSA signatures: several hundred times the cost of a PE parse per input, so this is the
 * slowest fuzz test (20,000 inputs, about 40 s of one core).
 */
const ITERATIONS = fuzzIterations()

describe('verifyAuthenticode fuzz', () => {
  it(
    `survives ${ITERATIONS} mutated signed fixtures: no exception escapes, no bug, < 1 s each`,
    () => {
      const seeds = SEEDS.map((name) => {
        const bytes = readPeFixture(name)
        const table = parsePe(bytes)!.certificateTable!
        // Aim most mutations at the PKCS#7 blob.
        return { bytes, weight: 1, extraHot: [[table.offset, table.size]] as [number, number][] }
      })
      const states = new Map<string, number>()
      const bugs: string[] = []
      let maxCpuMs = 0
      const stats = fuzz(
        seeds,
        (b) => {
          const cpu = process.cpuUsage()
          const pe = parsePe(b)
          if (!pe) return
          const r = verifyAuthenticode(b, pe, { trustStore: store })
          states.set(r.state, (states.get(r.state) ?? 0) + 1)
          for (const s of r.signatures) {
            for (const p of s.problems) if (p.startsWith('internal error')) bugs.push(p)
          }
          const used = process.cpuUsage(cpu)
          maxCpuMs = Math.max(maxCpuMs, (used.user + used.system) / 1000)
        },
        ITERATIONS,
        0xa17e,
      )
      console.info(
        `verifyAuthenticode fuzz: ${stats.inputs} inputs, slowest ${maxCpuMs.toFixed(1)} ms CPU ` +
          `(${stats.maxMs.toFixed(0)} ms wall), ${(stats.totalMs / 1000).toFixed(1)} s in total`,
      )
      expect(bugs.slice(0, 5)).toEqual([])
      // CPU time, not wall time: the limit is about the input, not about a busy machine.
      expect(maxCpuMs, `slowest wall time ${stats.maxMs.toFixed(0)} ms`).toBeLessThan(1000)
      // The mutations reach every verdict, not only the parser's first check.
      expect([...states.keys()]).toEqual(
        expect.arrayContaining(['valid', 'malformed', 'digest-mismatch', 'bad-signature']),
      )
    },
    Math.max(300_000, ITERATIONS * 200),
  )
})
