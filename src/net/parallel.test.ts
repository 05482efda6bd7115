import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBigConnLog } from '../../scripts/gen-netlogs.js'
import { buildIntel } from '../intel/build-index.js'
import { analyzeLogs } from './analyze.js'
import { PARALLEL_MIN_BYTES } from './parallel.js'

describe('parallel conn.log reading', () => {
  let dir: string
  let log: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-net-par-'))
    log = join(dir, 'conn.log')
    writeBigConnLog(log, 620_000, 20_000)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds exactly what one thread finds', async () => {
    expect(statSync(log).size).toBeGreaterThanOrEqual(PARALLEL_MIN_BYTES)
    const intel = buildIntel([], [])
    const one = await analyzeLogs([log], { intel, threads: 1 })
    const two = await analyzeLogs([log], { intel, threads: 2 })
    expect(one.stats.threads).toBe(1)
    expect(two.stats.threads).toBe(2)
    expect(two.problems).toEqual(one.problems)
    expect(two.findings).toEqual(one.findings)
    expect({ ...two.stats, durationMs: 0, threads: 0 }).toEqual({
      ...one.stats,
      durationMs: 0,
      threads: 0,
    })
    expect(one.stats.malformed).toBe(0)
    expect(one.findings.length).toBeGreaterThan(0)
  }, 60_000)
})
