import { describe, expect, it } from 'vitest'
import { sharedBudgetState } from '../collect/memory-budget.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import { buildIntel } from '../intel/build-index.js'
import { snapshotIntel } from '../intel/snapshot.js'
import { ScanPool, type WorkerInit } from './scan-pool.js'

const init: WorkerInit = {
  intel: snapshotIntel(buildIntel([], []), { advisories: false }),
  limits: DEFAULT_LIMITS,
  trustStore: undefined,
  fileStrings: false,
  plugins: [],
  budgetBytes: 1 << 20,
  budgetState: sharedBudgetState(1),
}

const file = (path: string) => ({
  fsPath: Buffer.from(path),
  path,
  size: 1,
  resourcesBeside: false,
})

describe('ScanPool', () => {
  it('hands the files a dead worker never started to a new one and fails only the file that kills workers', async () => {
    const pool = new ScanPool(1, init, 'testdata/dying-worker')
    try {
      const names = ['a1', 'a2', 'poison', 'b1', 'b2', 'b3']
      const settled = await Promise.allSettled(names.map((n) => pool.run(file(n))))
      const outcome = settled.map((s, i) =>
        s.status === 'fulfilled'
          ? (s.value.summary as unknown as { path: string }).path
          : `${names[i]}: ${(s.reason as Error).message}`,
      )
      expect(outcome).toEqual(['a1', 'a2', 'poison: scan worker exited (code 3)', 'b1', 'b2', 'b3'])
      // The pool goes on with a fresh worker.
      expect(((await pool.run(file('c1'))).summary as unknown as { path: string }).path).toBe('c1')
    } finally {
      await pool.close()
    }
  })
})
